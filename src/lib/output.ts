// Terminal output helpers: colour only on a TTY and never with NO_COLOR.
import {stripVTControlCharacters} from 'node:util'

type Stream = NodeJS.WriteStream

export function colourOn(stream: Stream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb'
}

const codes = {bold: [1, 22], dim: [2, 22], green: [32, 39], red: [31, 39], yellow: [33, 39], cyan: [36, 39]} as const
export type Colour = keyof typeof codes

export function paint(colour: Colour, text: string, stream: Stream = process.stdout): string {
  const safe = printable(text)
  if (!colourOn(stream)) return safe
  const [open, close] = codes[colour]
  return `\u001B[${open}m${safe}\u001B[${close}m`
}

export function plain(text: string): string {
  return stripVTControlCharacters(text)
}

/** The escape sequences of paint() itself: the only ones human output keeps. */
const OWN_COLOURS = new RegExp(
  `(${Object.values(codes)
    .flat()
    .map((code) => `\u001B\\[${code}m`)
    .join('|')})`,
)

/**
 * Text from outside (the platform, the profile file, the environment) made safe for a terminal: every escape
 * sequence and every C0/C1 control character removed (a window title, a screen clear, a bell), line breaks and
 * tabs turned into spaces. The colour codes paint() adds are kept, so painted text can pass through again.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u001f\u007f-\u009f]/.test(text)) return text
  return text
    .split(OWN_COLOURS)
    .map((part, i) =>
      // Odd parts are our own colour codes (the split's captured separators).
      i % 2 === 1
        ? part
        : stripVTControlCharacters(part)
            .replace(/[\t\n\v\f\r]/g, ' ')
            // eslint-disable-next-line no-control-regex
            .replace(/[\u0000-\u001f\u007f-\u009f]/g, ''),
    )
    .join('')
}

/** Aligned `  Label:  value` lines, skipping undefined values; every label and value made printable. */
export function fields(rows: Array<[string, string | undefined]>, indent = '  '): string {
  const shown = rows
    .filter((r): r is [string, string] => r[1] !== undefined)
    .map(([label, value]): [string, string] => [printable(label), printable(value)])
  const width = Math.max(...shown.map(([label]) => label.length + 1))
  return shown.map(([label, value]) => `${indent}${`${label}:`.padEnd(width)}  ${value}`).join('\n')
}

/**
 * A date as the seed page shows it (3/30/2026: month/day/year, en-US's numeric date), in the user's time zone. Written
 * from the Date's own local fields rather than with Intl.DateTimeFormat, whose first use loads ICU's locale data: about
 * 25 ms of CPU on create-key's one result line.
 */
export function shortDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return `${date.getMonth() + 1}/${date.getDate()}/${date.getFullYear()}`
}

/** A message as a sentence of a longer text: ending with a full stop (or its own ?/!) before the next one starts. */
export function sentence(text: string): string {
  const trimmed = text.trim()
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}
