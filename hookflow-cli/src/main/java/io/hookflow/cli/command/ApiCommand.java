package io.hookflow.cli.command;

import io.hookflow.cli.http.ApiClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that does its work and exits 0; every failure is a {@code CliException} with its own exit code. */
@Command
public abstract class ApiCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    @Override
    public final Integer call() {
        run();
        return 0;
    }

    protected abstract void run();

    public Session session() {
        return ((Session.Source) spec.root().userObject()).session();
    }

    public ApiClient api() {
        return session().api();
    }

    public Printer printer() {
        return session().printer();
    }

    /** A path segment from user input (an id, a ref), percent-encoded. */
    public static String segment(String value) {
        return ApiClient.encode(value);
    }
}
