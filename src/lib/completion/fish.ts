// The fish completion of codika, generated whole from the completion model (plugin-autocomplete has no fish):
// topics and commands, every flag (short forms and --no-* included) with its values, profile names and arguments;
// file names only where a flag or argument is a path.
import {type CommandSpec, type CompletionModel, type FlagSpec, hasHelp, type Values} from './model.js'

/** Single-quotes a word for fish (where `\` and `'` are escaped inside single quotes). */
function quote(word: string): string {
  return `'${word.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}

function valueOptions(values: Values, fn: string): string {
  switch (values.kind) {
    case 'files': {
      return '-r -F'
    }
    case 'profiles': {
      return `-x -a ${quote(`(${fn}_profiles)`)}`
    }
    case 'words': {
      const words = values.words.join(' ')
      return values.list ? `-x -a ${quote(`(${fn}_list ${words})`)}` : `-x -a ${quote(words)}`
    }
    default: {
      return '-x'
    }
  }
}

function names(flag: FlagSpec, pick: (name: string) => boolean, as: string): string[] {
  return flag.names.filter(pick).map((name) => `${as} ${name.replace(/^--?/, '')}`)
}

function flagLines(command: CommandSpec, head: string, fn: string): string[] {
  const when = `-n ${quote(`${fn}_is ${command.id}`)}`
  return command.flags
    .flatMap((flag) => {
      const long = names(flag, (n) => n.startsWith('--'), '-l')
      const short = names(flag, (n) => !n.startsWith('--'), '-s')
      const value = flag.takesValue ? ` ${valueOptions(flag.values, fn)}` : ''
      const lines = [`${head} ${when} ${[...short, ...long].join(' ')}${value} -d ${quote(flag.summary)}`]
      if (flag.negation)
        lines.push(`${head} ${when} -l ${flag.negation.slice(2)} -d ${quote(`Negate ${flag.names[0]}`)}`)
      return lines
    })
    .concat(hasHelp(command) ? [] : [`${head} ${when} -l help -d 'Show help for command'`])
}

function argumentLines(command: CommandSpec, head: string, fn: string): string[] {
  return command.args.flatMap((values, position) => {
    const when = `-n ${quote(`${fn}_arg ${command.id} ${position}`)}`
    switch (values.kind) {
      case 'files': {
        return [`${head} ${when} -F`]
      }
      case 'profiles': {
        return [`${head} ${when} -a ${quote(`(${fn}_profiles)`)} -d profile`]
      }
      case 'words': {
        return [`${head} ${when} -a ${quote(values.words.join(' '))}`]
      }
      default: {
        return []
      }
    }
  })
}

/** The words offered after a topic (or after nothing): its commands and sub-topics, one level down. */
function wordLines(model: CompletionModel, head: string, fn: string): string[] {
  const summaries = new Map<string, string>()
  for (const t of model.topics) summaries.set(t.id, t.summary)
  for (const c of model.commands) if (!summaries.has(c.id) || c.summary) summaries.set(c.id, c.summary)
  const lines: string[] = []
  for (const [id, summary] of [...summaries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const parent = id.includes(':') ? id.slice(0, id.lastIndexOf(':')) : ''
    const word = id.slice(parent ? parent.length + 1 : 0)
    lines.push(`${head} -n ${quote(`${fn}_at ${parent}`.trimEnd())} -a ${quote(word)} -d ${quote(summary)}`)
  }
  return lines
}

export function fishCompletion(model: CompletionModel): string {
  const bin = model.bin
  const fn = `__${bin.replaceAll('-', '_')}`
  const head = `complete -c ${bin}`
  const ids = (list: string[]) => list.map(quote).join(' ')
  return `# ${bin} completion for fish, written by \`${bin} completion fish\` from ${bin}'s command metadata.
# In ~/.config/fish/completions/${bin}.fish (\`${bin} completion --install\` puts it there), or sourced.

${head} -e
# No file names, except for the flags and arguments that take a path.
${head} -f

# The command typed before the cursor, as topic:command (empty when none yet), then how many words follow it.
function ${fn}_command
    set -l id ''
    set -l rest 0
    set -l tokens (commandline -opc)
    for token in $tokens[2..-1]
        if test $rest -eq 0; and not string match -q -- '-*' $token
            set -l next $token
            test -n "$id"; and set next "$id:$token"
            if contains -- $next ${ids([...model.commands.map((c) => c.id), ...model.topics.map((t) => t.id)])}
                set id $next
                continue
            end
        end
        set rest (math $rest + 1)
    end
    echo $id
    echo $rest
end

# True when the command typed so far is $argv[1] (a topic or nothing) and no word follows it.
function ${fn}_at
    set -l state (${fn}_command)
    test "$state[1]" = "$argv[1]"; and test $state[2] -eq 0
end

# True when the command typed is $argv[1].
function ${fn}_is
    set -l state (${fn}_command)
    test "$state[1]" = "$argv[1]"
end

# True when the word at the cursor is argument number $argv[2] (from 0) of command $argv[1].
function ${fn}_arg
    set -l state (${fn}_command)
    test "$state[1]" = "$argv[1]"; or return 1
    set -l position 0
    set -l skip 0
    set -l tokens (commandline -opc)
    test $state[2] -gt 0; and set tokens $tokens[(math (count $tokens) - $state[2] + 1)..-1]; or set tokens
    for token in $tokens
        if test $skip -eq 1
            set skip 0
        else if string match -q -- '-*' $token
            string match -q -- '*=*' $token; or ${fn}_takes_value $argv[1] $token; and set skip 1
        else
            set position (math $position + 1)
        end
    end
    test $position -eq $argv[2]
end

# True when flag $argv[2] of command $argv[1] takes a value (so the next word is that value).
function ${fn}_takes_value
    switch "$argv[1] $argv[2]"
        case ${
          model.commands
            .flatMap((c) =>
              c.flags.filter((f) => f.takesValue).flatMap((f) => f.names.map((n) => quote(`${c.id} ${n}`))),
            )
            .join(' ') || "''"
        }
            return 0
    end
    return 1
end

function ${fn}_profiles
    ${bin} use --list-names 2>/dev/null
end

# A comma-separated list of the words given: the token up to its last comma, then each word not in it yet.
function ${fn}_list
    set -l token (string replace -r -- '^--[^=]*=' '' (commandline -ct))
    set -l head (string match -r -- '^.*,' $token)
    set -l taken (string split -- , "$head")
    for word in $argv
        contains -- $word $taken; or echo "$head$word"
    end
end

${wordLines(model, head, fn).join('\n')}

${model.commands.flatMap((c) => [...flagLines(c, head, fn), ...argumentLines(c, head, fn)]).join('\n')}
`
}
