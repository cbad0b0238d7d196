package io.hookflow.rules.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.rules.template.MissingValueException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpActionTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TRIGGER = "{\"body\": {\"branch\": \"feature/x y\", \"n\": 2, \"tags\": [\"a\", \"b\"], "
            + "\"who\": {\"name\": \"Ann\"}}}";

    static OutboundRequest render(String parameters) throws Exception {
        return HttpAction.render(JSON.readTree(parameters), JSON.readTree(TRIGGER));
    }

    @Test
    void shouldEncodeValuesByWhereTheyStandInTheUrl() throws Exception {
        OutboundRequest request = render("{\"url\": \"https://ci.example.com/builds/{{ trigger.body.branch }}"
                + "?branch={{ trigger.body.branch }}&n=${trigger.body.n}\"}");
        assertEquals("https://ci.example.com/builds/feature%2Fx%20y?branch=feature%2Fx+y&n=2", request.url());
    }

    @Test
    void shouldInsertAWholeBaseUrlAsWritten() throws Exception {
        JsonNode trigger = JSON.readTree("{\"body\": {\"hook\": \"https://h.example.com/x\"}}");
        OutboundRequest request = HttpAction.render(JSON.readTree("{\"url\": \"{{ trigger.body.hook }}?a=1\"}"), trigger);
        assertEquals("https://h.example.com/x?a=1", request.url());
    }

    @Test
    void shouldRenderAJsonBodyKeepingValueTypes() throws Exception {
        OutboundRequest request = render("{\"url\": \"https://x.example.com\", \"body\": {\"tags\": \"{{ trigger.body.tags }}\", "
                + "\"n\": \"${trigger.body.n}\", \"who\": \"{{ trigger.body.who }}\", \"text\": \"on {{ trigger.body.branch }}\", "
                + "\"fixed\": [1, true]}}");
        assertEquals("{\"tags\":[\"a\",\"b\"],\"n\":2,\"who\":{\"name\":\"Ann\"},\"text\":\"on feature/x y\",\"fixed\":[1,true]}",
                request.body());
        assertEquals("application/json", request.headers().get("Content-Type"));
        assertEquals("POST", request.method());
    }

    @Test
    void shouldRenderAStringBodyAndHeadersAsText() throws Exception {
        OutboundRequest request = render("{\"url\": \"https://x.example.com\", \"method\": \"put\", "
                + "\"headers\": {\"Content-Type\": \"application/x-www-form-urlencoded\", \"X-Branch\": \"{{ trigger.body.branch }}\"}, "
                + "\"body\": \"branch={{ trigger.body.branch }}\", \"username\": \"bot\", \"password\": \"pw\", "
                + "\"secret\": \"s3\", \"timeout\": 5}");
        assertEquals("PUT", request.method());
        assertEquals("branch=feature/x y", request.body());
        assertEquals("feature/x y", request.headers().get("X-Branch"));
        assertEquals("application/x-www-form-urlencoded", request.headers().get("Content-Type"));
        assertEquals("bot", request.username());
        assertEquals("pw", request.password());
        assertEquals("s3", request.secret());
        assertEquals(5, request.timeoutSeconds());
    }

    @Test
    void shouldSendNoBodyWhenNoneIsGiven() throws Exception {
        assertNull(render("{\"url\": \"https://x.example.com\", \"method\": \"GET\"}").body());
    }

    @Test
    void shouldRefuseToRenderWhenAValueIsMissing() {
        assertThrows(MissingValueException.class,
                () -> render("{\"url\": \"https://x.example.com\", \"body\": {\"a\": \"{{ trigger.body.nope }}\"}}"));
    }

    @Test
    void shouldReportEveryParameterProblemWithItsPath() throws Exception {
        List<ApiError.Detail> problems = HttpAction.check(JSON.readTree("{\"url\": \"ftp://x\", \"method\": \"FETCH\", "
                + "\"headers\": {\"X\": {\"no\": 1}}, \"body\": {\"a\": [\"{{ trigger.x\"]}, \"timeout\": 0, \"extra\": 1}"),
                "action.parameters");
        List<String> paths = problems.stream().map(ApiError.Detail::path).toList();
        assertEquals(List.of("action.parameters.extra", "action.parameters.url", "action.parameters.method",
                "action.parameters.headers.X", "action.parameters.body.a[0]", "action.parameters.timeout"), paths);
        assertTrue(HttpAction.check(JSON.readTree("{\"url\": \"https://ok.example.com/{{ trigger.body.x }}\"}"), "p").isEmpty());
        assertEquals("p.url", HttpAction.check(JSON.readTree("{}"), "p").get(0).path());
    }
}
