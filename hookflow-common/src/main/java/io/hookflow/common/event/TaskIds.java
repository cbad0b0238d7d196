package io.hookflow.common.event;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Deterministic ids: the same (trigger instance, rule) always names the same task and execution. */
public final class TaskIds {

    private TaskIds() {
    }

    public static String forTask(String triggerInstanceId, String ruleId) {
        return UUID.nameUUIDFromBytes((triggerInstanceId + "/" + ruleId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
