package io.hookflow.rules.template;

/**
 * A template that cannot be parsed; found when the rule is saved, never at enforcement. The message says where
 * (line and position, from 1) when the engine knows.
 */
public class TemplateSyntaxException extends IllegalArgumentException {

    public TemplateSyntaxException(String message) {
        super(message);
    }

    public TemplateSyntaxException(String message, int line, int position) {
        super("line " + line + ", position " + position + ": " + message);
    }
}
