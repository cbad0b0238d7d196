package io.hookflow.rules.rule;

import static io.hookflow.rules.support.Events.api;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.sun.net.httpserver.HttpServer;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A rule naming signing keys its organisation does not have is refused at save, create and replace alike; the keys
 * come from a stand-in for delivery-service's list, asked with the caller's own key.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = SigningKeysAtSaveTest.DeliveryKeys.class, restrictToAnnotatedClass = true)
class SigningKeysAtSaveTest {

    static final String KNOWN = "sk_0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    @Test
    void shouldRefuseAtCreateAKeyTheOrganisationDoesNotHaveAndStoreNothing() {
        String name = name();
        api().body(rule(name, "signing-keys:" + KNOWN + ",sk_not_ours")).post("/api/v1/rules")
                .then().statusCode(400)
                .body("error", equalTo("validation_failed"))
                .body("details[0].path", equalTo("action.parameters.secret"))
                .body("details[0].message", containsString("'sk_not_ours' is not one of the organisation's keys"))
                .body(not(containsString("'" + KNOWN + "'")));
        api().get("/api/v1/rules/keys." + name).then().statusCode(404);
    }

    @Test
    void shouldSaveTheOrganisationsKeysAndRefuseAnUnknownOneAtReplace() {
        String name = name();
        api().body(rule(name, "signing-keys:" + KNOWN)).post("/api/v1/rules").then().statusCode(201);
        api().body(rule(name, "signing-keys:sk_gone")).put("/api/v1/rules/keys." + name)
                .then().statusCode(400).body("message", containsString("'sk_gone'"));
        // Sent back as read (the secret masked): kept as stored, not asked again.
        api().body(rule(name, RuleView.MASK)).put("/api/v1/rules/keys." + name).then().statusCode(200);
        api().body(rule(name, "signing-keys:all")).put("/api/v1/rules/keys." + name).then().statusCode(200);
    }

    private static String name() {
        return "k" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static String rule(String name, String secret) {
        return """
                {"name": "%s", "pack": "keys", "trigger": {"type": "keys.test"},
                 "action": {"ref": "core.http", "parameters": {"url": "https://example.com/hook", "secret": "%s"}}}
                """.formatted(name, secret);
    }

    /** delivery-service's GET /api/v1/signing-keys for the test key's organisation: one key (other callers: 401). */
    public static class DeliveryKeys implements QuarkusTestResourceLifecycleManager {

        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/api/v1/signing-keys", exchange -> {
                boolean ours = "test-bootstrap-key".equals(exchange.getRequestHeaders().getFirst("St2-Api-Key"));
                byte[] body = (ours
                        ? "{\"items\": [{\"id\": \"" + KNOWN + "\", \"algorithm\": \"ed25519\", \"status\": \"active\"}]}"
                        : "{\"error\": \"unauthorized\", \"message\": \"no key\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(ours ? 200 : 401, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return Map.of("quarkus.rest-client.delivery-keys.url", "http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }
}
