package io.hookflow.delivery.intake;

import io.hookflow.common.event.ActionTask;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class ActionTaskDeserializer extends ObjectMapperDeserializer<ActionTask> {

    public ActionTaskDeserializer() {
        super(ActionTask.class);
    }
}
