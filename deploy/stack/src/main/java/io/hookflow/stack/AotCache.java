package io.hookflow.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One service's AOT cache (JEP 483/514/515, JDK 25 and later): the classes it loaded and linked and the methods it
 * ran, recorded by a training run ({@link AotTraining}) and loaded at every later start, so a fresh JVM skips most of
 * its warm-up. It lives in {@code aot/} of the service's {@code quarkus-app} directory with a key: a digest of the
 * java that recorded it, the JVM options, and every file of the packaged app (path, size, time). A rebuild, another
 * JDK or other options change the key, and the cache is recorded again; a cache whose key does not match is never
 * used. {@code HOOKFLOW_AOT=off} turns all of it off; a JDK older than 25 never uses one.
 */
public final class AotCache {

    /** The first JDK with one-step training ({@code -XX:AOTCacheOutput}, JEP 514) and method profiles (JEP 515). */
    static final int MIN_FEATURE = 25;
    static final String DIR = "aot";

    private final Path appDir;
    private final ServiceJava java;
    private final String javaOptions;

    private AotCache(Path appDir, ServiceJava java, String javaOptions) {
        this.appDir = appDir;
        this.java = java;
        this.javaOptions = javaOptions.trim();
    }

    /** The cache of the app whose {@code quarkus-run.jar} this is, for this java with these JVM options. */
    public static AotCache of(Path quarkusRunJar, ServiceJava java, String javaOptions) {
        return new AotCache(quarkusRunJar.toAbsolutePath().getParent(), java, javaOptions);
    }

    /** Whether the stack uses AOT caches at all: a JDK 25 or later runs the services and HOOKFLOW_AOT is not off. */
    public static boolean enabled(Map<String, String> env, ServiceJava java) {
        String mode = env.getOrDefault("HOOKFLOW_AOT", "auto").trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("off")) {
            throw new IllegalArgumentException("HOOKFLOW_AOT is auto (the default) or off; got '" + mode + "'");
        }
        return mode.equals("auto") && java.hasAotCache();
    }

    public Path file() {
        return appDir.resolve(DIR).resolve("app.aot");
    }

    Path keyFile() {
        return appDir.resolve(DIR).resolve("app.aot.key");
    }

    /** Where a training run's JVM writes the cache when it exits; {@link #commitRecording()} moves it in place. */
    Path recording() {
        return appDir.resolve(DIR).resolve("app.aot.recording");
    }

    /** The cache exists and was recorded by this java, with these options, from exactly these files. */
    public boolean isCurrent() {
        try {
            return Files.isRegularFile(file()) && Files.size(file()) > 0 && Files.isRegularFile(keyFile())
                    && Files.readString(keyFile(), StandardCharsets.UTF_8).trim().equals(key());
        } catch (IOException e) {
            return false;
        }
    }

    /** The JVM options that start the service from the cache. */
    public List<String> useOptions() {
        return List.of("-XX:AOTCache=" + file());
    }

    /**
     * The JVM options of a training run: record, and write the cache at exit. Clears an old cache first, so a stale
     * one is never left to be taken for current.
     */
    public List<String> recordOptions() {
        try {
            Files.createDirectories(recording().getParent());
            Files.deleteIfExists(file());
            Files.deleteIfExists(keyFile());
            Files.deleteIfExists(recording());
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + recording().getParent(), e);
        }
        return List.of("-XX:AOTCacheOutput=" + recording());
    }

    /** After the training JVM exited: moves its cache in place with its key; false when it wrote none. */
    public boolean commitRecording() {
        try {
            if (!Files.isRegularFile(recording()) || Files.size(recording()) == 0) {
                return false;
            }
            Files.move(recording(), file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(keyFile(), key() + "\n", StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the AOT cache " + file(), e);
        }
    }

    /** The digest of the java, the options and the packaged app's files (the cache's own folder left out). */
    String key() {
        MessageDigest digest = sha256();
        update(digest, "java " + java.executable() + " " + java.version());
        update(digest, "options " + javaOptions);
        Path cacheDir = appDir.resolve(DIR);
        try (Stream<Path> files = Files.walk(appDir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(file -> !file.startsWith(cacheDir)).sorted()
                    .toList()) {
                update(digest, appDir.relativize(file) + " " + Files.size(file) + " "
                        + Files.getLastModifiedTime(file).toMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + appDir, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, String line) {
        digest.update((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "AotCache[" + file() + "]";
    }
}
