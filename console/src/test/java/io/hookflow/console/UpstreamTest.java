package io.hookflow.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UpstreamTest {

    @Test
    void shouldMapTheConsolePrefixToTheServicesApi() {
        Upstream rules = Upstream.of("rules", URI.create("http://rules:8082"));
        assertEquals("/api/v1/rules/a.b?x=1", rules.serviceUri("/api/rules/v1/rules/a.b", "x=1"));
        assertEquals("/api/", rules.serviceUri("/api/rules", null));
    }

    @Test
    void shouldKeepABasePathAndDefaultPorts() {
        Upstream ingest = Upstream.of("ingest", URI.create("https://gw.example.com/ingest/"));
        assertEquals(443, ingest.port());
        assertTrue(ingest.tls());
        assertEquals("/ingest/api/v1/webhooks", ingest.serviceUri("/api/ingest/v1/webhooks", null));
        assertEquals(80, Upstream.of("delivery", URI.create("http://delivery")).port());
    }

    @Test
    void shouldRefuseAUrlThatIsNotHttp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Upstream.of("rules", URI.create("ftp://rules")));
        assertTrue(e.getMessage().contains("hookflow.console.rules-url"));
    }
}
