package io.hookflow.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Puts the three services' APIs behind the console's own origin ({@code /api/ingest/**}, {@code /api/rules/**},
 * {@code /api/delivery/**}), so the browser talks to one origin and no CORS is needed. Status, headers (the caller's
 * {@code St2-Api-Key} / {@code X-Auth-Token} included) and bodies pass through unchanged; the services authenticate and
 * scope every call. The console keeps no credential: the browser sends one with each call.
 */
@ApplicationScoped
public class ServiceProxy {

    private static final Logger LOG = Logger.getLogger(ServiceProxy.class);
    /** A dot segment, plain or percent-encoded, or a backslash: refused rather than resolved, so prefixes stay exact. */
    private static final Pattern UNSAFE_PATH = Pattern.compile("(^|/)(\\.|%2e){1,2}(/|$)|\\\\|%5c", Pattern.CASE_INSENSITIVE);

    void routes(@Observes Router router, Vertx vertx, ConsoleConfig config) {
        List<Upstream> upstreams = List.of(Upstream.of("ingest", config.ingestUrl()), Upstream.of("rules", config.rulesUrl()),
                Upstream.of("delivery", config.deliveryUrl()));
        for (Upstream upstream : upstreams) {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                    .setSsl(upstream.tls())
                    .setConnectTimeout(5_000)
                    // A service's own timeouts (a rule's execute-now waits for delivery) end well before this.
                    .setIdleTimeout(180)
                    .setMaxPoolSize(32));
            HttpProxy proxy = HttpProxy.reverseProxy(client)
                    .origin(upstream.port(), upstream.host())
                    .addInterceptor(new ToService(upstream));
            router.route(upstream.prefix() + "/*").handler(context -> forward(context, proxy));
            LOG.infof("console proxies %s/** to %s://%s:%d%s/api/**", upstream.prefix(), upstream.scheme(), upstream.host(),
                    upstream.port(), upstream.basePath());
        }
        String ingest = config.publicIngestUrl().orElse(config.ingestUrl()).toString().replaceAll("/+$", "");
        String settings = new JsonObject().put("ingestUrl", ingest).encode();
        router.get("/console-settings.json").handler(context -> context.response()
                .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store").end(settings));
    }

    private static void forward(RoutingContext context, HttpProxy proxy) {
        if (UNSAFE_PATH.matcher(context.request().path()).find()) {
            error(context, 400, "bad_request", "the path may not contain '.' or '..' segments or backslashes");
            return;
        }
        proxy.handle(context.request());
    }

    private static void error(RoutingContext context, int status, String error, String message) {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(errorBody(error, message).toBuffer());
    }

    static JsonObject errorBody(String error, String message) {
        return new JsonObject().put("error", error).put("message", message).put("details", List.of());
    }

    /** Rewrites the path to the service's, names the service as the authority, and answers 502 in JSON if it is away. */
    private record ToService(Upstream upstream) implements ProxyInterceptor {

        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            var request = context.request();
            var incoming = request.proxiedRequest();
            request.setURI(upstream.serviceUri(incoming.path(), incoming.query()));
            request.setAuthority(HostAndPort.create(upstream.host(), upstream.port()));
            // The console sets no cookie and the services read none: whatever else the browser holds for this host
            // stays here.
            request.headers().remove("Cookie");
            return context.sendRequest().recover(failure -> {
                LOG.debugf(failure, "%s unreachable", upstream.name());
                ProxyResponse response = request.response();
                Buffer body = errorBody("bad_gateway", upstream.name() + "-service could not be reached: "
                        + String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT)).toBuffer();
                response.setStatusCode(502).setStatusMessage("Bad Gateway");
                response.headers().clear();
                response.putHeader("Content-Type", "application/json");
                response.setBody(Body.body(body));
                return Future.succeededFuture(response);
            });
        }
    }
}
