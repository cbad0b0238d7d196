package io.hookflow.cli.http;

import java.nio.charset.StandardCharsets;

/** A request body and its media type; {@link #NONE} sends no body at all. */
public record Body(String contentType, byte[] bytes) {

    public static final Body NONE = new Body(null, new byte[0]);
    public static final String JSON = "application/json";
    public static final String YAML = "application/yaml";
    public static final String FORM = "application/x-www-form-urlencoded";

    public static Body json(String text) {
        return new Body(JSON, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Body of(String contentType, String text) {
        return new Body(contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    public boolean isEmpty() {
        return contentType == null;
    }
}
