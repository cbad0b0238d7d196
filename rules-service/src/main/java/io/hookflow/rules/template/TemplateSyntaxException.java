package io.hookflow.rules.template;

/** A template that cannot be parsed; found when the rule is saved, never at enforcement. */
public class TemplateSyntaxException extends IllegalArgumentException {

    public TemplateSyntaxException(String message) {
        super(message);
    }
}
