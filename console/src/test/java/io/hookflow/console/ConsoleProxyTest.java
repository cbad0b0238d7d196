package io.hookflow.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = FakeServices.class, restrictToAnnotatedClass = true)
class ConsoleProxyTest {

    @BeforeEach
    void forget() {
        FakeServices.LAST.set(null);
    }

    @Test
    void shouldForwardMethodPathQueryBodyAndCredentialsToTheServiceApi() {
        given().urlEncodingEnabled(false).header("St2-Api-Key", "hfk_key").header("X-Auth-Token", "hft1.token").header("Cookie", "session=other-app")
                .contentType("application/json").body("{\"name\":\"r\"}")
                .post("/api/rules/v1/rules?pack=a%20b&enabled=true")
                .then().statusCode(201)
                .header("Location", "/api/v1/rules/a.b")
                .body("echo", equalTo("{\"name\":\"r\"}"));
        FakeServices.Received received = FakeServices.LAST.get();
        assertEquals("POST", received.method());
        assertEquals("/api/v1/rules?pack=a%20b&enabled=true", received.uri());
        assertEquals("hfk_key", received.headers().get("St2-Api-Key"));
        assertEquals("hft1.token", received.headers().get("X-Auth-Token"));
        assertEquals("{\"name\":\"r\"}", received.body());
        assertNull(received.headers().get("Cookie"), "the browser's cookies for the console's host stay with the console");
        assertFalse(received.headers().get("Host").contains(":8084"), "the service is named as the authority");
    }

    @Test
    void shouldKeepTheBasePathOfAServiceUrl() {
        given().get("/api/ingest/v1/webhooks").then().statusCode(201);
        assertEquals("/gateway/api/v1/webhooks", FakeServices.LAST.get().uri());
    }

    @Test
    void shouldPassTheServicesRefusalThroughUnchanged() {
        given().header("St2-Api-Key", "wrong").get("/api/rules/v1/refused")
                .then().statusCode(401)
                .body("error", equalTo("unauthorized"))
                .body("message", equalTo("invalid API key"));
    }

    @Test
    void shouldAnswer502WithAJsonErrorWhenAServiceIsUnreachable() {
        given().get("/api/delivery/v1/executions")
                .then().statusCode(502)
                .contentType("application/json")
                .body("error", equalTo("bad_gateway"))
                .body("message", containsString("delivery-service could not be reached"));
    }

    @Test
    void shouldRefuseDotSegmentsInsteadOfReachingOutsideTheServicesApi() {
        // Still under the rules prefix once resolved: refused, so what is forwarded is always what was asked for.
        given().urlEncodingEnabled(false).get("/api/rules/v1/%2e%2e/v1/rules")
                .then().statusCode(400)
                .body("error", equalTo("bad_request"));
        // Outside every prefix once resolved: no route at all.
        given().urlEncodingEnabled(false).get("/api/rules/v1/%2e%2e/%2e%2e/q/metrics").then().statusCode(404);
        given().urlEncodingEnabled(false).get("/api/rules/../../q/metrics").then().statusCode(404);
        assertNull(FakeServices.LAST.get(), "nothing was forwarded");
    }

    @Test
    void shouldServeThePagesWithTheirLibraryFromTheConsoleItself() {
        given().get("/").then().statusCode(200)
                .body(containsString("<script type=\"module\" src=\"/js/main.js\"></script>"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("X-Frame-Options", "DENY");
        given().get("/js/lib.js").then().statusCode(200)
                .body(containsString("/_static/htm/3.1.1/preact/standalone.module.js"));
        given().get("/_static/htm/3.1.1/preact/standalone.module.js").then().statusCode(200)
                .body(containsString("useState"));
    }

    @Test
    void shouldTellThePagesWhereSendersReachIngest() {
        given().get("/console-settings.json").then().statusCode(200)
                .body("ingestUrl", equalTo("https://hooks.example.com"));
    }

    @Test
    void shouldReportReadyWithoutWaitingForTheServices() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
