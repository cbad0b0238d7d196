package io.hookflow.common.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.error.ApiError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Paging parameters: every value a caller can type either parses into something the database holds, or is a 400. */
class PageQueryTest {

    @Test
    void shouldRefuseTimesOutsideTheYearsTheDatabaseHolds() {
        for (String value : new String[] {"-999999999-01-01", "+999999999-12-31", "+10000-01-01T00:00:00Z",
                "-0001-12-31T23:59:59Z", "+999999999-12-31T23:59:59.999999999+18:00"}) {
            List<ApiError.Detail> problems = new ArrayList<>();
            assertNull(PageQuery.parseTime("until", value, problems), value);
            assertEquals(1, problems.size(), value);
            assertEquals("until", problems.get(0).path());
            assertTrue(problems.get(0).message().contains("0001-01-01"), problems.get(0).message());
        }
    }

    @Test
    void shouldAcceptTheFirstAndLastDaysOfTheRange() {
        List<ApiError.Detail> problems = new ArrayList<>();
        assertEquals(Instant.parse("0001-01-01T00:00:00Z"), PageQuery.parseTime("since", "0001-01-01", problems));
        assertEquals(Instant.parse("9999-12-31T00:00:00Z"), PageQuery.parseTime("since", "9999-12-31", problems));
        assertEquals(Instant.parse("2026-11-23T09:00:00Z"), PageQuery.parseTime("since", "2026-11-23T10:00:00+01:00", problems));
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldRefuseMalformedTimesAndCursors() {
        List<ApiError.Detail> problems = new ArrayList<>();
        assertNull(PageQuery.parseTime("since", "2026-13-45", problems));
        assertNull(PageQuery.parseTime("since", "yesterday", problems));
        String farFuture = java.util.Base64.getUrlEncoder().encodeToString("+999999999-12-31T00:00:00Z|x".getBytes());
        assertNull(PageQuery.parseCursor(farFuture, problems));
        assertNull(PageQuery.parseCursor("bm8tYmFy", problems));
        assertNull(PageQuery.parseCursor("%%%", problems));
        assertEquals(5, problems.size(), problems.toString());
    }
}
