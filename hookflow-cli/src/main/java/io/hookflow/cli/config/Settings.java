package io.hookflow.cli.config;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where each service is and which credential to send, resolved from three layers in order: the command line's flags,
 * then the environment, then the config file; the first layer that says something wins. Within a layer a
 * service's own URL beats the one base URL. Without any URL the local defaults apply (8081, 8082, 8083).
 */
public final class Settings {

    /** One source of settings; any field may be null. */
    public record Layer(String name, String url, Map<Service, String> serviceUrls, String apiKey, String authToken) {

        /** Blank values configure nothing: an empty variable or flag is as good as an absent one. */
        public Layer {
            url = blankToNull(url);
            apiKey = blankToNull(apiKey);
            authToken = blankToNull(authToken);
            Map<Service, String> given = new EnumMap<>(Service.class);
            serviceUrls.forEach((service, value) -> {
                if (blankToNull(value) != null) {
                    given.put(service, blankToNull(value));
                }
            });
            serviceUrls = Map.copyOf(given);
        }

        String serviceUrl(Service service) {
            String own = serviceUrls.get(service);
            return own != null ? own : url;
        }

        boolean hasCredential() {
            return apiKey != null || authToken != null;
        }
    }

    /** The header and value that authenticate a request, and where they came from (for messages). */
    public record Credential(String header, String value, String source) {
        public static final String API_KEY_HEADER = "St2-Api-Key";
        public static final String TOKEN_HEADER = "X-Auth-Token";
    }

    private final List<Layer> layers;

    private Settings(List<Layer> layers) {
        this.layers = layers;
    }

    public static Settings of(Layer flags, Environment environment, ConfigFile file) {
        return new Settings(List.of(flags, fromEnvironment(environment), fromFile(file)));
    }

    static Layer fromEnvironment(Environment environment) {
        return new Layer("environment", environment.variable("HOOKFLOW_URL"),
                serviceUrls(service -> environment.variable(service.environmentVariable())),
                environment.variable("HOOKFLOW_API_KEY"), environment.variable("HOOKFLOW_AUTH_TOKEN"));
    }

    static Layer fromFile(ConfigFile file) {
        return new Layer("config file " + file.path(), file.get(ConfigFile.URL),
                serviceUrls(service -> file.get(service.configKey())), file.get(ConfigFile.API_KEY),
                file.get(ConfigFile.AUTH_TOKEN));
    }

    private static Map<Service, String> serviceUrls(java.util.function.Function<Service, String> lookup) {
        Map<Service, String> urls = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            String value = lookup.apply(service);
            if (value != null) {
                urls.put(service, value);
            }
        }
        return urls;
    }

    /** The service's base URL without a trailing slash. */
    public String url(Service service) {
        for (Layer layer : layers) {
            String url = layer.serviceUrl(service);
            if (url != null) {
                return stripTrailingSlashes(url);
            }
        }
        return service.defaultUrl();
    }

    /**
     * The credential of the first layer that has one; a layer with both sends its API key (a key that is sent is
     * always checked, so sending both would add nothing). Null when no layer has any.
     */
    public Credential credential() {
        for (Layer layer : layers) {
            if (layer.hasCredential()) {
                return layer.apiKey() != null
                        ? new Credential(Credential.API_KEY_HEADER, layer.apiKey(), layer.name())
                        : new Credential(Credential.TOKEN_HEADER, layer.authToken(), layer.name());
            }
        }
        return null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    static String stripTrailingSlashes(String url) {
        String stripped = url;
        while (stripped.endsWith("/")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        return stripped;
    }
}
