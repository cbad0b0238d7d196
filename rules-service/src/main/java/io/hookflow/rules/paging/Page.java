package io.hookflow.rules.paging;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** One page of records, newest first; pass {@code nextCursor} back as {@code cursor} for the next (absent on the last). */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page<T>(List<T> items, String nextCursor) {
}
