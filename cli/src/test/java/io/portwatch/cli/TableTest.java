package io.portwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void aTableAlignsTextLeftAndNumbersRightAndBoundsItsCells() {
        Table table = new Table(Table.Column.number("ID"), Table.Column.text("NAME"), Table.Column.wide("NOTE", 5));
        table.row("7", "web", "short").row("12", "a-longer-name", "far too long");
        StringWriter out = new StringWriter();
        table.print(new PrintWriter(out));
        assertEquals("""
                ID  NAME           NOTE
                 7  web            short
                12  a-longer-name  far …
                """, out.toString());
    }
}
