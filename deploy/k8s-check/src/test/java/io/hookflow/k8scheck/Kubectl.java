package io.hookflow.k8scheck;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Renders a kustomization with {@code kubectl kustomize}, the kustomize built into kubectl. */
final class Kubectl {

    private Kubectl() {
    }

    /** The rendered YAML (several documents); fails with kustomize's own message when the kustomization is wrong. */
    static String kustomize(Path kustomization) {
        ProcessBuilder builder = new ProcessBuilder(executable(), "kustomize", kustomization.toString());
        try {
            Process process = builder.start();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String rendered = read(process.getInputStream());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + kustomization + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + kustomization + " failed:\n" + errors.join());
            }
            return rendered;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run kubectl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** kubectl from the PATH; its absence fails the check (it is not skipped), saying what to install. */
    private static String executable() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("kubectl is not on the PATH: the Kubernetes manifest check renders k8s/ with "
                + "`kubectl kustomize`. Install kubectl (it includes kustomize) and run the build again.");
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
