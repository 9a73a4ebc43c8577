// Tables for human screens: a header and aligned columns, each cell padded by two spaces, in one pass over the rows
// (linear in their number: `profile list` draws tens of thousands of profiles in well under a second).
import stringWidth from 'string-width'

import {paint, printable} from '../output.js'

/** Display width: plain ASCII (almost every cell) counted directly, anything else by string-width. */
function displayWidth(text: string): number {
  return /^[\x20-\x7e]*$/.test(text) ? text.length : stringWidth(text)
}

export interface Column<T> {
  key: keyof T & string
  name: string
}

/**
 * The rows as a table: the header (bold and underlined on a colour terminal), then one line per row; widths are
 * display widths, so wide characters (CJK, emoji) keep the columns straight. Every cell is made printable.
 */
export function renderTable<T extends Record<string, string>>(
  data: T[],
  columns: Array<Column<T>>,
  colour: boolean,
): string {
  const cells = data.map((row) => columns.map((c) => printable(row[c.key] ?? '')))
  const widths = columns.map((c, i) =>
    cells.reduce((width, row) => Math.max(width, displayWidth(row[i])), displayWidth(c.name)),
  )
  const line = (values: string[]) =>
    values
      .map((value, i) => `  ${value}${' '.repeat(widths[i] - displayWidth(value))} `)
      .join('')
      .trimEnd()
  const header = line(columns.map((c) => c.name))
  const lines = colour
    ? [paint('bold', header), paint('dim', `  ${'─'.repeat(Math.max(0, displayWidth(header) - 2))}`)]
    : [header]
  for (const row of cells) lines.push(line(row))
  return lines.join('\n')
}
