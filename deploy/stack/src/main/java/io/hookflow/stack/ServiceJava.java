package io.hookflow.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The java that runs the services: {@code HOOKFLOW_JAVA} (a JDK's home or its {@code bin/java}) when set, else the one
 * running this stack (deploy/local/run and benchmarks/run start it with {@code $JAVA_HOME/bin/java}). Its version
 * decides whether the services can start from an AOT cache ({@link AotCache}, JDK 25 and later).
 *
 * @param executable the {@code java} binary
 * @param version the full version, e.g. {@code 25.0.3} or {@code 17.0.15}
 * @param feature the feature release, e.g. 25
 */
public record ServiceJava(Path executable, String version, int feature) {

    static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"([^\"]+)\"");
    static final Pattern VERSION_OUTPUT = Pattern.compile("version \"([^\"]+)\"");

    /** From the environment's {@code HOOKFLOW_JAVA}, else this JVM's own home. */
    public static ServiceJava detect(Map<String, String> env) {
        String given = env.get("HOOKFLOW_JAVA");
        if (given != null && !given.isBlank()) {
            return of(Path.of(given.trim()));
        }
        return of(Path.of(System.getProperty("java.home")));
    }

    /** A JDK (or JRE) home, or the {@code java} binary in its {@code bin}. */
    static ServiceJava of(Path homeOrBinary) {
        Path home = Files.isDirectory(homeOrBinary) ? homeOrBinary : homeOrBinary.toAbsolutePath().getParent().getParent();
        Path executable = Files.isDirectory(homeOrBinary) ? home.resolve("bin/java") : homeOrBinary;
        if (!Files.isExecutable(executable)) {
            throw new IllegalArgumentException("HOOKFLOW_JAVA: no java at " + executable
                    + " (give a JDK's home directory or its bin/java)");
        }
        String version = releaseVersion(home.resolve("release"));
        if (version == null) {
            version = askVersion(executable);
        }
        return new ServiceJava(executable.toAbsolutePath(), version, feature(version));
    }

    /** 25 for "25.0.3", "25", "25-ea"; 8 for "1.8.0_412". */
    static int feature(String version) {
        Matcher digits = Pattern.compile("^(\\d+)(?:\\.(\\d+))?").matcher(version);
        if (!digits.find()) {
            throw new IllegalArgumentException("not a Java version: " + version);
        }
        int first = Integer.parseInt(digits.group(1));
        return first == 1 && digits.group(2) != null ? Integer.parseInt(digits.group(2)) : first;
    }

    /** The {@code JAVA_VERSION} line of a JDK's {@code release} file, or null when there is none. */
    static String releaseVersion(Path releaseFile) {
        try {
            Matcher matcher = RELEASE_VERSION.matcher(Files.readString(releaseFile, StandardCharsets.UTF_8));
            return matcher.find() ? matcher.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String askVersion(Path executable) {
        try {
            Process process = new ProcessBuilder(executable.toString(), "-version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            Matcher matcher = VERSION_OUTPUT.matcher(output);
            if (!matcher.find()) {
                throw new IllegalArgumentException("could not read the version of " + executable + ": " + output);
            }
            return matcher.group(1);
        } catch (IOException e) {
            throw new IllegalArgumentException("could not run " + executable + " -version", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Whether this java can record and use an AOT cache in one training run (JEP 483, 514, 515). */
    public boolean hasAotCache() {
        return feature >= AotCache.MIN_FEATURE;
    }

    @Override
    public String toString() {
        return "Java " + version + " (" + executable + ")";
    }
}
