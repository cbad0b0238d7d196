package io.hookflow.rules.template;

/**
 * A template refers to a value the trigger instance does not have and gives no default. The enforcement fails with
 * this reason rather than sending a half-rendered request.
 */
public class MissingValueException extends RenderFailedException {

    public MissingValueException(String message) {
        super(message);
    }
}
