package io.hookflow.rules.criteria;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The timestamp forms webhooks send, read as StackStorm does: ISO-8601, with or without zone (then UTC). */
final class Timestamps {

    private Timestamps() {
    }

    static Optional<Instant> parse(String text) {
        String value = text.strip();
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return Optional.of(LocalDateTime.parse(value.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return Optional.of(OffsetDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
