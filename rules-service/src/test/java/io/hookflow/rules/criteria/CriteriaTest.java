package io.hookflow.rules.criteria;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.error.ApiError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CriteriaTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TRIGGER = "{\"body\": {\"status\": \"success\", \"count\": 3, \"ratio\": 1.0, \"tags\": [\"a\", \"b\"], "
            + "\"commits\": [{\"id\": \"c1\"}], \"a.b\": \"dotted\", \"none\": null, \"msg\": \"line1\\nline2\"}}";

    static boolean matches(String criteria) throws Exception {
        List<ApiError.Detail> problems = new ArrayList<>();
        Criteria compiled = Criteria.compile(JSON.readTree(criteria), OperatorRegistry.standard(), "criteria", problems);
        assertTrue(problems.isEmpty(), problems.toString());
        return compiled.matches(JSON.readTree(TRIGGER));
    }

    static List<ApiError.Detail> problems(String criteria) throws Exception {
        List<ApiError.Detail> problems = new ArrayList<>();
        Criteria.compile(JSON.readTree(criteria), OperatorRegistry.standard(), "criteria", problems);
        return problems;
    }

    @Test
    void shouldMatchEqualsAndItsAlias() throws Exception {
        assertTrue(matches("{\"trigger.body.status\": {\"type\": \"equals\", \"pattern\": \"success\"}}"));
        assertTrue(matches("{\"trigger.body.status\": {\"type\": \"eq\", \"pattern\": \"success\"}}"));
        assertFalse(matches("{\"trigger.body.status\": {\"type\": \"equals\", \"pattern\": \"failure\"}}"));
    }

    @Test
    void shouldCompareNumbersAsPythonDoesAndNeverAcrossTypes() throws Exception {
        assertTrue(matches("{\"trigger.body.ratio\": {\"type\": \"equals\", \"pattern\": 1}}"));
        assertFalse(matches("{\"trigger.body.count\": {\"type\": \"equals\", \"pattern\": \"3\"}}"));
        assertTrue(matches("{\"trigger.body.count\": {\"type\": \"gt\", \"pattern\": 2}}"));
        assertFalse(matches("{\"trigger.body.count\": {\"type\": \"lessthan\", \"pattern\": \"10\"}}"));
    }

    @Test
    void shouldRequireEveryCriterionToHold() throws Exception {
        assertTrue(matches("{\"trigger.body.status\": {\"type\": \"eq\", \"pattern\": \"success\"}, "
                + "\"trigger.body.count\": {\"type\": \"lt\", \"pattern\": 5}}"));
        assertFalse(matches("{\"trigger.body.status\": {\"type\": \"eq\", \"pattern\": \"success\"}, "
                + "\"trigger.body.count\": {\"type\": \"lt\", \"pattern\": 1}}"));
    }

    @Test
    void shouldAddressArrayElementsAndQuotedKeys() throws Exception {
        assertTrue(matches("{\"trigger.body.commits.0.id\": {\"type\": \"equals\", \"pattern\": \"c1\"}}"));
        assertTrue(matches("{\"trigger.body.\\\"a.b\\\"\": {\"type\": \"equals\", \"pattern\": \"dotted\"}}"));
        assertTrue(matches("{\"trigger.body.tags\": {\"type\": \"contains\", \"pattern\": \"b\"}}"));
    }

    @Test
    void shouldTreatNullAndAbsentAlikeForExists() throws Exception {
        assertTrue(matches("{\"trigger.body.status\": {\"type\": \"exists\"}}"));
        assertFalse(matches("{\"trigger.body.none\": {\"type\": \"exists\"}}"));
        assertTrue(matches("{\"trigger.body.missing\": {\"type\": \"nexists\"}}"));
        assertTrue(matches("{\"trigger.body.missing\": {\"type\": \"nequals\", \"pattern\": \"x\"}}"));
    }

    @Test
    void shouldSearchWithRegexAndAnchorMatchregex() throws Exception {
        assertTrue(matches("{\"trigger.body.status\": {\"type\": \"regex\", \"pattern\": \"cc\"}}"));
        assertFalse(matches("{\"trigger.body.status\": {\"type\": \"matchregex\", \"pattern\": \"cc\"}}"));
        assertTrue(matches("{\"trigger.body.msg\": {\"type\": \"matchregex\", \"pattern\": \"line1.line2\"}}"));
    }

    @Test
    void shouldReportEveryProblemWithItsPath() throws Exception {
        List<ApiError.Detail> problems = problems("{\"trigger.body.a\": {\"type\": \"bogus\", \"pattern\": 1}, "
                + "\"trigger.body.b\": {\"type\": \"regex\", \"pattern\": \"([\"}, \"body.c\": {\"type\": \"eq\", \"pattern\": 1}, "
                + "\"trigger.body.d\": {\"type\": \"equals\"}}");
        assertEquals(List.of("criteria.trigger.body.a.type", "criteria.trigger.body.b.pattern", "criteria.body.c",
                "criteria.trigger.body.d.pattern"), problems.stream().map(ApiError.Detail::path).toList());
    }
}
