/** Rows of text cells as left-aligned columns, for terminal tables. */
export function formatColumns(header: readonly string[], rows: readonly (readonly string[])[], options: { rule?: boolean } = {}): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...(options.rule ? [line(widths.map((w) => '-'.repeat(w)))] : []), ...rows.map(line)];
}
