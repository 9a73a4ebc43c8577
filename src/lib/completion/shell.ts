// What the bash and zsh scripts write alike: quoted words and the `case` functions both shells read the same way.

/** Single-quotes a word for the shell (bash, zsh). */
export function quote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`
}

/** A `case` arm: the patterns (quoted, so that nothing in them is a glob) joined by `|`. */
export function arm(patterns: readonly string[], body: string): string {
  return `    (${patterns.map(quote).join('|')}) ${body} ;;`
}

/**
 * A shell function that runs the `case` arms over its arguments (`subject`, by default the first), then `after`.
 * An empty list of arms is a valid `case` in both shells.
 */
export function caseFunction(name: string, arms: string, options: {subject?: string; after?: string} = {}): string {
  const after = options.after === undefined ? '' : `  ${options.after}\n`
  return `${name}() {\n  case ${options.subject ?? '"$1"'} in\n${arms}\n  esac\n${after}}`
}

/** A shell function that succeeds when its first argument is one of `words`. */
export function oneOfFunction(name: string, words: readonly string[]): string {
  return caseFunction(name, words.length > 0 ? arm(words, 'return 0') : '', {after: 'return 1'})
}

/**
 * The loop both scripts find the command with: from word number `i`, the words as long as they name a topic or a
 * command (`id` grows by one word each time), up to `end` or to the first flag. `word` is the shell's expression for
 * word number `i`.
 */
export function commandWalk(fn: string, word: string, end: string): string {
  return `  while (( i < ${end} )); do
    [[ "${word}" == -* ]] && break
    next="\${id:+$id:}${word}"
    ${fn}_is_command "$next" || ${fn}_is_topic "$next" || break
    id="$next"
    (( i++ ))
  done`
}
