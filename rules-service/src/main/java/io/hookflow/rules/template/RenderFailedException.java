package io.hookflow.rules.template;

/**
 * A template could not be rendered for this trigger instance (a filter refused its input, a sandbox limit was
 * reached, ...). The enforcement fails with this reason; no half-rendered request is sent.
 */
public class RenderFailedException extends RuntimeException {

    public RenderFailedException(String message) {
        super(message, null, false, false);
    }
}
