// The zsh completion of codika: plugin-autocomplete's function for topic and command words, and, once a command is
// named, its flags (short forms and --no-* included), flag values, profile names and arguments through zsh's own
// _arguments, generated from the completion model — no file names where a flag or argument is not a path.
// (CONTRIBUTING.md, "Shell completion", says why the plugin's function is kept for the command words alone.)
import {type CommandSpec, type CompletionModel, type FlagSpec, hasHelp, type Values} from './model.js'
import {caseFunction, commandWalk, oneOfFunction, quote} from './shell.js'

/** Escapes text for inside an _arguments description (`[…]`). */
function description(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('[', '\\[').replaceAll(']', '\\]')
}

/** Escapes a word for an _arguments action, which splits on ':' and on spaces. */
function actionWord(word: string): string {
  return word.replaceAll(/([\\:\s()'"$`])/g, '\\$1')
}

function action(values: Values, fn: string): string {
  switch (values.kind) {
    case 'files': {
      return '_files'
    }
    case 'profiles': {
      return `${fn}_profiles`
    }
    case 'words': {
      const words = values.words.map(actionWord).join(' ')
      // _sequence offers the next word after each comma.
      return values.list ? `_sequence -s , compadd - ${words}` : `(${words})`
    }
    default: {
      // A message and no matches: free text, never file names.
      return ' '
    }
  }
}

function flagSpecs(flag: FlagSpec, fn: string): string[] {
  const summary = description(flag.summary)
  const all = [...flag.names, ...(flag.negation ? [flag.negation] : [])]
  const exclusive = flag.multiple ? '*' : all.length > 1 ? `(${all.join(' ')})` : ''
  if (!flag.takesValue) {
    const specs = flag.names.map((name) => `${exclusive}${name}[${summary}]`)
    if (flag.negation) specs.push(`${exclusive}${flag.negation}[Negate ${flag.names[0]}]`)
    return specs
  }
  const value = `:${flag.names[0].replace(/^--/, '')}:${action(flag.values, fn)}`
  // --name=value or --name value; -c value.
  return flag.names.map((name) => `${exclusive}${name}${name.startsWith('--') ? '=' : ''}[${summary}]${value}`)
}

function argumentsCall(command: CommandSpec, fn: string): string {
  const specs = [
    ...command.flags.flatMap((f) => flagSpecs(f, fn)),
    ...(hasHelp(command) ? [] : ['--help[Show help for command]']),
    ...command.args.map(
      (values, i) => `${i + 1}:${values.kind === 'profiles' ? 'profile' : 'argument'}:${action(values, fn)}`,
    ),
  ]
  return `_arguments -S : ${specs.map(quote).join(' \\\n        ')}`
}

export function zshCompletion(model: CompletionModel, pluginFunction: string): string {
  const bin = model.bin
  const fn = `__${bin.replaceAll('-', '_')}`
  const commands = model.commands.map((c) => `    (${quote(c.id)})\n      ${argumentsCall(c, fn)}\n      ;;`).join('\n')
  return `#compdef ${bin}
# ${bin} completion for zsh, written by \`${bin} completion zsh\` from ${bin}'s command metadata. In a folder of
# $fpath as _${bin} (\`${bin} completion --install\` puts it in ~/.zsh/completions), or sourced after compinit.

# plugin-autocomplete's completion function, as it generates it: it completes topic and command words.
${fn}_oclif() {
${pluginFunction.trimEnd()}
}

${fn}_profiles() {
  local -a names
  names=(\${(f)"$(${bin} use --list-names 2>/dev/null)"})
  _wanted profiles expl profile compadd -a names
}

${oneOfFunction(
  `${fn}_is_command`,
  model.commands.map((c) => c.id),
)}

${oneOfFunction(
  `${fn}_is_topic`,
  model.topics.map((t) => t.id),
)}

${caseFunction(`${fn}_command`, commands)}

${fn}_complete() {
  local curcontext="$curcontext" id="" next
  integer i=2
  # The command: the words after ${bin} as long as they name a topic or a command.
${commandWalk(fn, '${words[i]}', 'CURRENT')}
  if (( i == CURRENT )) && [[ "\${words[CURRENT]}" != -* ]] && { [[ -z "$id" ]] || ${fn}_is_topic "$id" }; then
    ${fn}_oclif "$@"
    return
  fi
  ${fn}_is_command "$id" || return 1
  # _arguments sees the command as the first word, then its flags and arguments.
  words=("$id" "\${(@)words[i,-1]}")
  (( CURRENT -= i - 2 ))
  ${fn}_command "$id"
}

if (( $+functions[compdef] )); then
  compdef ${fn}_complete ${bin}
else
  print -u2 "${bin} completion: compinit has not run; run 'autoload -Uz compinit && compinit' before this script"
fi
# Loaded by compinit for a first TAB: complete that one too.
[[ "\${funcstack[1]}" == _${bin} ]] && ${fn}_complete "$@"
`
}
