package io.hookflow.delivery.ratelimit;

import java.time.Instant;

/** What a bucket gave a claim: how many tokens, and when its next token is due (null while it has one left). */
record Grant(int granted, Instant nextTokenAt) {
}
