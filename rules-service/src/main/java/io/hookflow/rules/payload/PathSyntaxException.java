package io.hookflow.rules.payload;

/** A criteria key or template expression that is not a valid path. */
public class PathSyntaxException extends IllegalArgumentException {

    public PathSyntaxException(String message) {
        super(message);
    }
}
