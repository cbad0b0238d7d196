package io.hookflow.rules.rule;

/** A CDI event, fired once at start-up when the stored rules may be read (their secrets are encrypted). */
public record RulesReady() {
}
