package io.hookflow.delivery.execution;

import java.util.List;

/** One page of executions; pass {@code nextCursor} back as {@code cursor} for the next one (absent on the last). */
public record ExecutionPage(List<ExecutionView> items, String nextCursor) {
}
