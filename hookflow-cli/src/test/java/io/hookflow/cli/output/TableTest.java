package io.hookflow.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void shouldAlignColumnsUnderUpperCaseHeadersWithoutTrailingBlanks() {
        String text = new Table("id", "status", "rule")
                .row("a1", "SUCCEEDED", "e2e.notify")
                .row("b22222", "FAILED", "x")
                .render();
        assertEquals("""
                ID      STATUS     RULE
                a1      SUCCEEDED  e2e.notify
                b22222  FAILED     x
                """, text);
    }

    @Test
    void shouldCutCellsLongerThanTheLimitAndShowAbsentValuesAsADash() {
        String text = new Table(10, "url", "error").row("https://example.com/very/long", null).render();
        assertEquals("""
                URL         ERROR
                https:/...  -
                """, text);
    }

    @Test
    void shouldKeepEachRowOnOneLineWhenAValueHoldsLineBreaks() {
        String text = new Table("error").row("connection failed\nat line 2\r\n\tthen").render();
        assertEquals("ERROR\nconnection failed at line 2 then\n", text);
    }

    @Test
    void shouldRefuseARowWithTheWrongNumberOfCells() {
        assertThrows(IllegalArgumentException.class, () -> new Table("a", "b").row("only one"));
    }

    @Test
    void shouldPrintOnlyTheHeadersForNoRows() {
        assertEquals("A  B\n", new Table("a", "b").render());
    }
}
