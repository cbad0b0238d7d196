package io.hookflow.cli.output;

import java.util.ArrayList;
import java.util.List;

/** One resource as "field  value" lines, fields aligned; values are shown whole (a get shows everything). */
public final class Details {

    private final List<String[]> fields = new ArrayList<>();

    public Details field(String name, String value) {
        fields.add(new String[] {name, Table.clean(value)});
        return this;
    }

    public String render() {
        int width = fields.stream().mapToInt(field -> field[0].length()).max().orElse(0);
        StringBuilder text = new StringBuilder();
        for (String[] field : fields) {
            text.append(field[0]).append(" ".repeat(width - field[0].length())).append("  ").append(field[1])
                    .append('\n');
        }
        return text.toString();
    }
}
