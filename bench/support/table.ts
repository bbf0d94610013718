/** Plain-text tables for the benchmark output. */

/**
 * Renders rows under a header, each column padded to its widest cell.
 * @param header column titles
 * @param rows cells
 * @param align per column, 'l' or 'r' (default: first column left, the others right)
 * @returns the table, lines joined with \n
 */
export function renderTable(
  header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[],
): string {
  const left = (i: number): boolean => (align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'l';
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (left(i) ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * Formats a number with a fixed number of decimals, '—' for NaN.
 * @param value number
 * @param decimals digits after the point
 * @returns text
 */
export function fixed(value: number, decimals: number): string {
  return Number.isFinite(value) ? value.toFixed(decimals) : '—';
}

/**
 * Formats a count with thousands separators, '—' for NaN.
 * @param value number
 * @returns text
 */
export function count(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—';
}

/**
 * Formats a latency in ms with about three significant digits, '—' for NaN.
 * @param ms milliseconds
 * @returns text
 */
export function millis(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}
