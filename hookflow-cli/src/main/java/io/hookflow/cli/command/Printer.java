package io.hookflow.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.cli.http.ApiResponse;
import io.hookflow.cli.output.Details;
import io.hookflow.cli.output.Table;
import java.io.PrintWriter;
import java.util.function.Function;

/** Human output by default; with {@code -j} the service's JSON exactly as it came, for scripts and jq. */
public final class Printer {

    private final PrintWriter out;
    private final boolean json;

    Printer(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** The answer as JSON with -j, else as the view renders it. */
    public void show(ApiResponse response, Function<JsonNode, String> view) {
        if (json) {
            raw(response);
        } else {
            print(view.apply(response.json()));
        }
    }

    /** An answer without a body (204): a confirmation for people, nothing for scripts. */
    public void done(String confirmation) {
        if (!json) {
            line(confirmation);
        }
    }

    public void raw(ApiResponse response) {
        String body = response.body() == null ? "" : response.body();
        if (!body.isEmpty()) {
            out.print(body.endsWith("\n") ? body : body + "\n");
            out.flush();
        }
    }

    public void table(Table table) {
        print(table.render());
    }

    public void details(Details details) {
        print(details.render());
    }

    public void line(String text) {
        out.println(text);
        out.flush();
    }

    private void print(String text) {
        out.print(text);
        out.flush();
    }
}
