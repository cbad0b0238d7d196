package io.hookflow.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceJavaTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadTheFeatureReleaseOfEveryVersionScheme() {
        assertEquals(25, ServiceJava.feature("25.0.3"));
        assertEquals(25, ServiceJava.feature("25"));
        assertEquals(26, ServiceJava.feature("26-ea"));
        assertEquals(17, ServiceJava.feature("17.0.15"));
        assertEquals(8, ServiceJava.feature("1.8.0_412"));
        assertThrows(IllegalArgumentException.class, () -> ServiceJava.feature("unknown"));
    }

    @Test
    void shouldTakeTheVersionFromTheJdksReleaseFile() throws IOException {
        Path jdk25 = fakeJdk("jdk25", "JAVA_VERSION=\"25.0.3\"\n", "25.0.3");
        Path jdk17 = fakeJdk("jdk17", "IMPLEMENTOR=\"Debian\"\nJAVA_VERSION=\"17.0.15\"\n", "17.0.15");

        ServiceJava java25 = ServiceJava.detect(Map.of("HOOKFLOW_JAVA", jdk25.toString()));
        assertEquals("25.0.3", java25.version());
        assertEquals(jdk25.resolve("bin/java").toAbsolutePath(), java25.executable());
        assertTrue(java25.hasAotCache());
        assertFalse(ServiceJava.detect(Map.of("HOOKFLOW_JAVA", jdk17.toString())).hasAotCache());
    }

    @Test
    void shouldAcceptTheJavaBinaryAsWellAsTheHome() throws IOException {
        Path jdk = fakeJdk("jdk", "JAVA_VERSION=\"25.0.1\"\n", "25.0.1");
        ServiceJava java = ServiceJava.detect(Map.of("HOOKFLOW_JAVA", jdk.resolve("bin/java").toString()));
        assertEquals(25, java.feature());
        assertEquals(jdk.resolve("bin/java").toAbsolutePath(), java.executable());
    }

    @Test
    void shouldAskTheJavaItselfWhenThereIsNoReleaseFile() throws IOException {
        Path jdk = fakeJdk("no-release", null, "26.0.1");
        assertEquals("26.0.1", ServiceJava.detect(Map.of("HOOKFLOW_JAVA", jdk.toString())).version());
    }

    @Test
    void shouldRefuseAHookflowJavaWithoutAJava() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ServiceJava.detect(Map.of("HOOKFLOW_JAVA", dir.resolve("nothing").toString())));
        assertTrue(refused.getMessage().contains("HOOKFLOW_JAVA"), refused.getMessage());
    }

    @Test
    void shouldUseThisJvmWhenHookflowJavaIsNotSet() {
        ServiceJava java = ServiceJava.detect(Map.of());
        assertEquals(Runtime.version().feature(), java.feature());
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toAbsolutePath(), java.executable());
    }

    /** A JDK home with a release file (unless null) and a bin/java that prints the version as java -version does. */
    private Path fakeJdk(String name, String release, String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(home.resolve("bin"));
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"" + version + "\" 2026-01-20' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (release != null) {
            Files.writeString(home.resolve("release"), release);
        }
        return home;
    }
}
