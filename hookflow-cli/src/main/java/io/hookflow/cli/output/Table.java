package io.hookflow.cli.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows under upper-case headers, columns two spaces apart and as wide as their widest cell (up to a limit, longer
 * cells are cut with "..."), no trailing blanks, so the output reads in a terminal and greps line by line.
 */
public final class Table {

    static final int DEFAULT_MAX_WIDTH = 60;
    private static final String GAP = "  ";
    private static final String CUT = "...";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private final int maxWidth;

    public Table(String... headers) {
        this(DEFAULT_MAX_WIDTH, headers);
    }

    public Table(int maxWidth, String... headers) {
        if (maxWidth <= CUT.length()) {
            throw new IllegalArgumentException("a column must be wider than " + CUT.length());
        }
        this.maxWidth = maxWidth;
        this.headers = Arrays.stream(headers).map(header -> header.toUpperCase(java.util.Locale.ROOT)).toList();
    }

    public Table row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row has " + headers.size() + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(Table::clean).map(this::cut).toList());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public String render() {
        int[] widths = new int[headers.size()];
        for (List<String> line : lines()) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> line : lines()) {
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                row.append(line.get(i));
                if (i < widths.length - 1) {
                    row.append(" ".repeat(widths[i] - line.get(i).length())).append(GAP);
                }
            }
            text.append(row.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private List<List<String>> lines() {
        List<List<String>> lines = new ArrayList<>(rows.size() + 1);
        lines.add(headers);
        lines.addAll(rows);
        return lines;
    }

    private String cut(String cell) {
        return cell.length() <= maxWidth ? cell : cell.substring(0, maxWidth - CUT.length()) + CUT;
    }

    /** One line per row: line breaks and tabs in a value (a payload, an error) become spaces. */
    static String clean(String cell) {
        if (cell == null || cell.isEmpty()) {
            return Cells.ABSENT;
        }
        return cell.replaceAll("[\\r\\n\\t]+", " ");
    }
}
