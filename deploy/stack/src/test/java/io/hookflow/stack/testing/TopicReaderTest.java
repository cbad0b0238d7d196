package io.hookflow.stack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.stack.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicReaderTest {

    @TempDir
    static Path workDir;
    static KafkaBroker broker;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start(workDir, 0, 0);
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stop() {
        producer.close();
        broker.close();
    }

    @Test
    void shouldSeeRecordsOfATopicThatAppearsAfterTheReaderOpened() throws Exception {
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), "later")) {
            producer.send(new ProducerRecord<>("later", "a", "first")).get();
            producer.send(new ProducerRecord<>("later", "b", "second")).get();

            List<ConsumerRecord<String, String>> seen = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < 2 && System.nanoTime() < deadline) {
                seen = reader.records(record -> true);
            }

            assertEquals(List.of("first", "second"), seen.stream().map(ConsumerRecord::value).toList());
            assertEquals(List.of("b"), reader.records(record -> record.value().equals("second")).stream()
                    .map(ConsumerRecord::key).toList());
        }
    }

    @Test
    void shouldReadAllRecordsFromTheBeginningUpToTheCurrentEnd() throws Exception {
        for (String value : List.of("one", "two", "three")) {
            producer.send(new ProducerRecord<>("existing", "k", value)).get();
        }

        List<ConsumerRecord<String, String>> records = TopicReader.readAll(broker.bootstrapServers(), "existing");

        assertEquals(List.of("one", "two", "three"), records.stream().map(ConsumerRecord::value).toList());
    }
}
