// codika's block in a shell's rc file: the lines between `# BEGIN codika completion` and `# END codika completion`
// (3.6.0's markers, so that its installs are recognised), put in or taken out without changing any other line.
import {CodikaError} from '../errors.js'

export const BEGIN = '# BEGIN codika completion'
export const END = '# END codika completion'

export type BlockChange = 'added' | 'replaced' | 'unchanged' | 'removed' | 'absent'

export interface BlockEdit {
  text: string
  change: BlockChange
  /** First and last line (from 1) of the block in the new text, when there is one. */
  lines?: [number, number]
}

/** Lines with their line ends, so that the text can be put back together byte for byte. */
function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/)
}

const content = (line: string) => line.replace(/\r?\n$/, '').trimEnd()

/**
 * Where codika's blocks are: marker pairs, and runs of `legacy` lines (exact lines a former release added without
 * markers). A begin marker without an end marker after it stops everything: nothing can be changed safely.
 */
function findBlocks(lines: string[], path: string, legacy: readonly string[]): Array<[number, number]> {
  const blocks: Array<[number, number]> = []
  for (let i = 0; i < lines.length; i++) {
    if (content(lines[i]) === BEGIN) {
      let end = i + 1
      while (end < lines.length && content(lines[end]) !== END) end++
      if (end === lines.length)
        throw new CodikaError(
          'CONFIG_UNREADABLE',
          `${path} has the line "${BEGIN}" (line ${i + 1}) but no "${END}" after it.`,
          {
            hint: `Put the line "${END}" where codika's block ends, or delete the block, then run the command again. Nothing was changed.`,
          },
        )
      blocks.push([i, end])
      i = end
    } else if (
      legacy.length > 0 &&
      legacy.every((line, k) => lines[i + k] !== undefined && content(lines[i + k]) === line)
    ) {
      blocks.push([i, i + legacy.length - 1])
      i += legacy.length - 1
    }
  }
  return blocks
}

/**
 * `text` with codika's block holding `body`: the first block found is replaced in place (others are removed),
 * else the block is added at the end.
 */
export function putBlock(
  text: string,
  body: readonly string[],
  path: string,
  legacy: readonly string[] = [],
): BlockEdit {
  const lines = splitLines(text)
  const block = [BEGIN, ...body, END].map((line) => `${line}\n`)
  const blocks = findBlocks(lines, path, legacy)
  if (blocks.length === 0) {
    const head = text === '' || text.endsWith('\n') ? text : `${text}\n`
    const start = splitLines(head).length + 1
    return {text: head + block.join(''), change: 'added', lines: [start, start + block.length - 1]}
  }
  const [first] = blocks
  const out = removeBlocks(lines, blocks.slice(1))
  const old = lines.slice(first[0], first[1] + 1)
  out.splice(first[0], old.length, ...block)
  const same = blocks.length === 1 && old.join('') === block.join('')
  return {text: out.join(''), change: same ? 'unchanged' : 'replaced', lines: [first[0] + 1, first[0] + block.length]}
}

/** `text` without codika's blocks. */
export function dropBlock(text: string, path: string, legacy: readonly string[] = []): BlockEdit {
  const lines = splitLines(text)
  const blocks = findBlocks(lines, path, legacy)
  if (blocks.length === 0) return {text, change: 'absent'}
  return {text: removeBlocks(lines, blocks).join(''), change: 'removed'}
}

/** The lines without the given blocks (which come after any index the caller still uses). */
function removeBlocks(lines: string[], blocks: ReadonlyArray<[number, number]>): string[] {
  const out = [...lines]
  for (const [start, end] of [...blocks].reverse()) out.splice(start, end - start + 1)
  return out
}
