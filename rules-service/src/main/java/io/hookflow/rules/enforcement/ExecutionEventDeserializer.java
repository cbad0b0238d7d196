package io.hookflow.rules.enforcement;

import io.hookflow.common.event.ExecutionEvent;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class ExecutionEventDeserializer extends ObjectMapperDeserializer<ExecutionEvent> {

    public ExecutionEventDeserializer() {
        super(ExecutionEvent.class);
    }
}
