// Terminal output helpers: colour only on a TTY and never with NO_COLOR.
import {stripVTControlCharacters} from 'node:util'

type Stream = NodeJS.WriteStream

export function colourOn(stream: Stream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb'
}

const codes = {bold: [1, 22], dim: [2, 22], green: [32, 39], red: [31, 39], yellow: [33, 39], cyan: [36, 39]} as const
export type Colour = keyof typeof codes

export function paint(colour: Colour, text: string, stream: Stream = process.stdout): string {
  if (!colourOn(stream)) return text
  const [open, close] = codes[colour]
  return `\u001B[${open}m${text}\u001B[${close}m`
}

export function plain(text: string): string {
  return stripVTControlCharacters(text)
}

/** Aligned `  Label:  value` lines, skipping undefined values. */
export function fields(rows: Array<[string, string | undefined]>, indent = '  '): string {
  const shown = rows.filter((r): r is [string, string] => r[1] !== undefined)
  const width = Math.max(...shown.map(([label]) => label.length + 1))
  return shown.map(([label, value]) => `${indent}${`${label}:`.padEnd(width)}  ${value}`).join('\n')
}

/** A date as the seed page shows it (3/30/2026), in the user's time zone. */
export function shortDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString('en-US')
}
