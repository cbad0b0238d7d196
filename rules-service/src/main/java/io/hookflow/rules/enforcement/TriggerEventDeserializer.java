package io.hookflow.rules.enforcement;

import io.hookflow.common.event.TriggerEvent;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class TriggerEventDeserializer extends ObjectMapperDeserializer<TriggerEvent> {

    public TriggerEventDeserializer() {
        super(TriggerEvent.class);
    }
}
