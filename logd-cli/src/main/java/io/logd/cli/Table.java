package io.logd.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * An aligned text table: a header and rows, columns as wide as their widest cell, two spaces
 * apart; the last column is not padded. Right-aligned columns are for numbers. Cells may carry
 * ANSI colours, which take no width.
 */
final class Table {
  private final String[] header;
  private final boolean[] right;
  private final List<String[]> rows = new ArrayList<>();

  Table(String... header) {
    this.header = header;
    this.right = new boolean[header.length];
  }

  Table rightAligned(int... columns) {
    for (int c : columns) {
      right[c] = true;
    }
    return this;
  }

  void add(String... cells) {
    rows.add(cells);
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int[] width = new int[header.length];
    for (int c = 0; c < header.length; c++) {
      width[c] = header[c].length();
      for (String[] r : rows) {
        width[c] = Math.max(width[c], visible(r[c]));
      }
    }
    line(out, header, width);
    for (String[] r : rows) {
      line(out, r, width);
    }
    out.flush();
  }

  private void line(PrintWriter out, String[] cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      String cell = cells[c] == null ? "" : cells[c];
      int pad = width[c] - visible(cell);
      boolean last = c == cells.length - 1;
      if (right[c]) {
        sb.append(" ".repeat(pad)).append(cell);
      } else {
        sb.append(cell);
        if (!last) {
          sb.append(" ".repeat(pad));
        }
      }
      if (!last) {
        sb.append("  ");
      }
    }
    out.println(sb.toString().stripTrailing());
  }

  /** Width of text without ANSI escape sequences. */
  static int visible(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\033') {
        while (i < s.length() && s.charAt(i) != 'm') {
          i++;
        }
      } else if (!Character.isLowSurrogate(ch)) {
        n++;
      }
    }
    return n;
  }
}
