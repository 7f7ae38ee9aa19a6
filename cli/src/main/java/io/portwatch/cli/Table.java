package io.portwatch.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Aligned columns for people: a header line, then one line per row. Every cell is bounded
 * ({@link Text#bound}) to its column's limit; columns marked numeric are right-aligned.
 */
final class Table {

    /** One column: its header, its cell limit and whether it holds numbers. */
    record Column(String header, int max, boolean numeric) {
        static Column text(String header) {
            return new Column(header, Text.CELL, false);
        }

        static Column wide(String header, int max) {
            return new Column(header, max, false);
        }

        static Column number(String header) {
            return new Column(header, Text.CELL, true);
        }
    }

    private final List<Column> columns;
    private final List<List<String>> rows = new ArrayList<>();

    Table(Column... columns) {
        this.columns = List.of(columns);
    }

    Table row(String... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns.size() + " columns");
        }
        List<String> row = new ArrayList<>(cells.length);
        for (int c = 0; c < cells.length; c++) {
            row.add(Text.bound(cells[c], columns.get(c).max()));
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out) {
        int[] widths = new int[columns.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = width(columns.get(c).header());
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], width(row.get(c)));
            }
        }
        List<String> header = columns.stream().map(Column::header).toList();
        line(out, header, widths);
        rows.forEach(row -> line(out, row, widths));
        out.flush();
    }

    private void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - width(cell));
            line.append(c == 0 ? "" : "  ").append(columns.get(c).numeric() ? pad + cell : cell + pad);
        }
        out.println(line.toString().stripTrailing());
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
