package io.hookflow.rules.enforcement;

import io.hookflow.common.event.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jboss.logging.Logger;

/**
 * Where an event rules-service cannot use goes, instead of vanishing: the topic {@code rules-dead-letters}, with the
 * record as it arrived and headers that say why and where it came from. Published with acknowledgement before the
 * batch's offsets are committed, and counted in {@code hookflow_rules_dead_letters_total{topic}}, so an operator can
 * see, read and replay every one.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String REASON = "hookflow-dead-letter-reason";
    public static final String SOURCE_TOPIC = "hookflow-dead-letter-topic";
    public static final String SOURCE_PARTITION = "hookflow-dead-letter-partition";
    public static final String SOURCE_OFFSET = "hookflow-dead-letter-offset";
    /** Present when the value was cut to fit the topic; the original's length in bytes. */
    public static final String ORIGINAL_LENGTH = "hookflow-dead-letter-original-length";
    static final int MAX_VALUE = 512 * 1024;
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final TaskPublisher publisher;
    private final MeterRegistry registry;

    DeadLetters(TaskPublisher publisher, MeterRegistry registry) {
        this.publisher = publisher;
        this.registry = registry;
        // Exported at zero from the start, so a dashboard and an alert see the series before the first dead letter.
        for (String topic : List.of(Topics.TRIGGER_EVENTS, Topics.EXECUTION_EVENTS)) {
            counter(topic);
        }
    }

    private Counter counter(String topic) {
        return Counter.builder("hookflow_rules_dead_letters_total")
                .description("Events rules-service could not use, published to " + Topics.RULES_DEAD_LETTERS)
                .tag("topic", topic)
                .register(registry);
    }

    /** A record that could not be used, and why. */
    public record DeadLetter(ConsumerRecord<String, byte[]> record, String reason) {
    }

    /** Publishes the dead letters and returns once the broker has every one. */
    public void publish(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(letters.size());
        for (DeadLetter letter : letters) {
            ConsumerRecord<String, byte[]> source = letter.record();
            byte[] value = source.value();
            List<Header> headers = new ArrayList<>();
            for (Header header : source.headers()) {
                headers.add(header);
            }
            headers.add(header(REASON, letter.reason()));
            headers.add(header(SOURCE_TOPIC, source.topic()));
            headers.add(header(SOURCE_PARTITION, Integer.toString(source.partition())));
            headers.add(header(SOURCE_OFFSET, Long.toString(source.offset())));
            if (value != null && value.length > MAX_VALUE) {
                headers.add(header(ORIGINAL_LENGTH, Integer.toString(value.length)));
                value = Arrays.copyOf(value, MAX_VALUE);
            }
            records.add(new ProducerRecord<>(Topics.RULES_DEAD_LETTERS, null, source.key(), value, headers));
            LOG.errorf("Trigger event at %s-%d@%d cannot be used and goes to %s: %s", source.topic(), source.partition(),
                    source.offset(), Topics.RULES_DEAD_LETTERS, letter.reason());
        }
        publisher.publishRecords(records, "dead letter(s)");
        for (DeadLetter letter : letters) {
            counter(letter.record().topic()).increment();
        }
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
