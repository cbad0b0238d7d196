package io.hookflow.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotCacheTest {

    static final String OPTIONS = ServiceProcess.DEFAULT_JAVA_OPTS;
    static final ServiceJava JDK25 = new ServiceJava(Path.of("/opt/jdk25/bin/java"), "25.0.3", 25);
    static final ServiceJava JDK17 = new ServiceJava(Path.of("/opt/jdk17/bin/java"), "17.0.15", 17);

    @TempDir
    Path app;
    Path jar;

    @BeforeEach
    void packagedApp() throws IOException {
        jar = Files.writeString(app.resolve("quarkus-run.jar"), "runner");
        Files.createDirectories(app.resolve("lib/main"));
        Files.writeString(app.resolve("lib/main/io.vertx.vertx-core-4.5.jar"), "vertx");
        Files.createDirectories(app.resolve("app"));
        Files.writeString(app.resolve("app/ingest-service-0.1.0.jar"), "classes");
    }

    @Test
    void shouldUseCachesOnlyFromJdk25OnAndNotWhenTurnedOff() {
        assertTrue(AotCache.enabled(Map.of(), JDK25));
        assertTrue(AotCache.enabled(Map.of("HOOKFLOW_AOT", "auto"), JDK25));
        assertFalse(AotCache.enabled(Map.of(), JDK17));
        assertFalse(AotCache.enabled(Map.of("HOOKFLOW_AOT", "OFF"), JDK25));
        assertThrows(IllegalArgumentException.class, () -> AotCache.enabled(Map.of("HOOKFLOW_AOT", "yes"), JDK25));
    }

    @Test
    void shouldBeCurrentOnceATrainingRunsCacheIsCommitted() throws IOException {
        AotCache cache = AotCache.of(jar, JDK25, OPTIONS);
        assertFalse(cache.isCurrent());

        List<String> record = cache.recordOptions();
        assertEquals(List.of("-XX:AOTCacheOutput=" + cache.recording()), record);
        Files.writeString(cache.recording(), "what the JVM wrote at exit");
        assertTrue(cache.commitRecording());

        assertTrue(cache.isCurrent());
        assertTrue(AotCache.of(jar, JDK25, OPTIONS).isCurrent(), "a later start finds it");
        assertEquals(List.of("-XX:AOTCache=" + app.resolve("aot/app.aot")), cache.useOptions());
    }

    @Test
    void shouldNotCommitWhenTheJvmWroteNothing() {
        AotCache cache = AotCache.of(jar, JDK25, OPTIONS);
        cache.recordOptions();
        assertFalse(cache.commitRecording());
        assertFalse(cache.isCurrent());
    }

    @Test
    void shouldBeStaleWhenAnyFileOfTheAppChanges() throws IOException {
        committed();
        Files.writeString(app.resolve("app/ingest-service-0.1.0.jar"), "classes rebuilt");
        assertFalse(AotCache.of(jar, JDK25, OPTIONS).isCurrent());

        committed();
        Path lib = app.resolve("lib/main/io.vertx.vertx-core-4.5.jar");
        Files.setLastModifiedTime(lib, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        assertFalse(AotCache.of(jar, JDK25, OPTIONS).isCurrent(), "same size, another time");

        committed();
        Files.writeString(app.resolve("lib/main/added.jar"), "new dependency");
        assertFalse(AotCache.of(jar, JDK25, OPTIONS).isCurrent());
    }

    @Test
    void shouldBeStaleForAnotherJavaOrOtherJvmOptions() throws IOException {
        committed();
        assertFalse(AotCache.of(jar, new ServiceJava(JDK25.executable(), "25.0.4", 25), OPTIONS).isCurrent());
        assertFalse(AotCache.of(jar, JDK25, "-Xmx512m -XX:+UseG1GC").isCurrent());
        assertTrue(AotCache.of(jar, JDK25, " " + OPTIONS + " ").isCurrent(), "surrounding blanks do not count");
    }

    @Test
    void shouldDropTheOldCacheWhenRecordingANewOne() throws IOException {
        AotCache cache = committed();
        cache.recordOptions();
        assertFalse(Files.exists(cache.file()));
        assertFalse(cache.isCurrent());
    }

    private AotCache committed() throws IOException {
        AotCache cache = AotCache.of(jar, JDK25, OPTIONS);
        cache.recordOptions();
        Files.writeString(cache.recording(), "cache");
        assertTrue(cache.commitRecording());
        assertTrue(cache.isCurrent());
        return cache;
    }
}
