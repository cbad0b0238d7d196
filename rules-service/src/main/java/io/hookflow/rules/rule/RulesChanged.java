package io.hookflow.rules.rule;

/**
 * A CDI event: the stored rules changed, or may have (fired after a transaction that changed them completed, rolled
 * back too: a needless reload is cheap, a missed one is not). Whoever holds rules in memory reloads them; rule/ needs
 * to know nothing of who that is.
 */
public record RulesChanged() {
}
