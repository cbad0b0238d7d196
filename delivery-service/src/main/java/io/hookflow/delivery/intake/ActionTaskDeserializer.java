package io.hookflow.delivery.intake;

import org.apache.kafka.common.header.Headers;
import io.hookflow.delivery.observe.AttemptTraces;
import io.hookflow.common.event.ActionTask;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class ActionTaskDeserializer extends ObjectMapperDeserializer<ActionTask> {

    public ActionTaskDeserializer() {
        super(ActionTask.class);
    }

    @Override
    public ActionTask deserialize(String topic, Headers headers, byte[] data) {
        ActionTask task = super.deserialize(topic, headers, data);
        AttemptTraces.received(task == null ? null : task.id(), task == null ? null : task.ruleRef(), headers);
        return task;
    }
}
