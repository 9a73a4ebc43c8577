// Tables for human screens, drawn by @oclif/table (React and ink: loaded only when a table is drawn).
import {printable} from '../output.js'

export interface Column<T> {
  key: keyof T & string
  name: string
}

/** The rows as a table with a header line and an underline, without surrounding blank lines; plain when `colour` is off. */
export async function renderTable<T extends Record<string, unknown>>(
  data: T[],
  columns: Array<Column<T>>,
  colour: boolean,
): Promise<string> {
  const {makeTable} = await import('@oclif/table')
  const safe = data.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' ? printable(v) : v])),
  ) as T[]
  return makeTable({
    data: safe,
    columns,
    borderStyle: 'headers-only-with-underline',
    noStyle: !colour,
    maxWidth: 'none',
  }).replace(/^\n+|\n+$/g, '')
}
