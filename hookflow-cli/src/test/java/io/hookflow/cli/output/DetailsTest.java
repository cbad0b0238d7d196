package io.hookflow.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DetailsTest {

    @Test
    void shouldAlignValuesAfterTheLongestFieldName() {
        String text = new Details().field("id", "w1").field("description", "a\nb").field("secret", null).render();
        assertEquals("""
                id           w1
                description  a b
                secret       -
                """, text);
    }
}
