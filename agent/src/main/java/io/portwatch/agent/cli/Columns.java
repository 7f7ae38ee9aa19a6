package io.portwatch.agent.cli;

import java.io.PrintStream;
import java.util.List;

/** Prints rows as aligned columns, two spaces apart; the first row is the header. */
final class Columns {

    private Columns() {}

    /** {@code right.get(c)} right-aligns column c, so that the digits of numbers line up. */
    static void print(List<List<String>> rows, List<Boolean> right, PrintStream out) {
        int[] widths = new int[right.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < widths.length; c++) {
                String cell = row.get(c);
                String pad = " ".repeat(widths[c] - cell.length());
                line.append(c == 0 ? "" : "  ").append(right.get(c) ? pad + cell : cell + pad);
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
