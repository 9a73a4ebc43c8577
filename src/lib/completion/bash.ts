// The bash completion codika adds to plugin-autocomplete's: flags (short forms and --no-* included), flag values,
// profile names and arguments, generated from the completion model. Topic and command words stay with the plugin's
// function, which this one calls (CONTRIBUTING.md, "Shell completion"). Plain bash 3.2 (macOS): no associative
// arrays, `compopt` only where it exists.
import {type CommandSpec, type CompletionModel, hasHelp, type Values} from './model.js'
import {arm, caseFunction, commandWalk, oneOfFunction, quote} from './shell.js'

/** Groups patterns by the body they lead to, so that each body is written once. */
function arms(entries: ReadonlyArray<[pattern: string, body: string]>): string {
  const byBody = new Map<string, string[]>()
  for (const [pattern, body] of entries) byBody.set(body, [...(byBody.get(body) ?? []), pattern])
  return [...byBody].map(([body, patterns]) => arm(patterns, body)).join('\n')
}

function valuesBody(values: Values): string {
  switch (values.kind) {
    case 'words': {
      return `kind=${values.list ? 'list' : 'words'}; words=${quote(values.words.join(' '))}`
    }
    default: {
      return `kind=${values.kind}`
    }
  }
}

function flagWords(command: CommandSpec): string {
  const words = command.flags.flatMap((f) => [...f.names, ...(f.negation ? [f.negation] : [])])
  return (hasHelp(command) ? words : [...words, '--help']).join(' ')
}

export function bashCompletion(model: CompletionModel): string {
  const fn = `__${model.bin.replaceAll('-', '_')}`
  const bin = model.bin
  const commandIds = model.commands.map((c) => c.id)
  const topicIds = model.topics.map((t) => t.id)
  const flagValueArms = arms(
    model.commands.flatMap((c) =>
      c.flags
        .filter((f) => f.takesValue)
        .flatMap((f) => f.names.map((name): [string, string] => [`${c.id} ${name}`, valuesBody(f.values)])),
    ),
  )
  const argArms = arms(
    model.commands.flatMap((c) =>
      c.args.map((values, position): [string, string] => [`${c.id} ${position}`, valuesBody(values)]),
    ),
  )
  const argCountArms = arms(
    model.commands.filter((c) => c.args.length > 0).map((c): [string, string] => [c.id, `return ${c.args.length}`]),
  )
  const flagArms = arms(model.commands.map((c): [string, string] => [c.id, `words=${quote(flagWords(c))}`]))

  return `
# ---- ${bin}: flags, flag values, profile names and arguments, generated from ${bin}'s command metadata. Topics and
# commands are completed by plugin-autocomplete's function above, which ${fn}_complete calls for them.

# The function plugin-autocomplete registered for ${bin}, read back from bash ("complete -F <function> ${bin}").
${fn}_oclif=$(complete -p ${bin} 2>/dev/null)
if [[ "$${fn}_oclif" == *" -F "* ]]; then
  ${fn}_oclif="\${${fn}_oclif#* -F }"
  ${fn}_oclif="\${${fn}_oclif%% *}"
else
  ${fn}_oclif=""
fi

${oneOfFunction(`${fn}_is_command`, commandIds)}

${oneOfFunction(`${fn}_is_topic`, topicIds)}

# Sets kind (words, list, profiles, files, none) and words for the value of flag $2 of command $1; fails when that
# flag takes no value.
${caseFunction(`${fn}_flag_values`, `${flagValueArms}\n    (*) return 1 ;;`, {subject: '"$1 $2"'})}

# The same for argument number $2 (from 0) of command $1.
${caseFunction(`${fn}_arg_values`, `${argArms}\n    (*) kind=none ;;`, {subject: '"$1 $2"'})}

# Returns how many arguments command $1 takes.
${caseFunction(`${fn}_arg_count`, argCountArms, {after: 'return 0'})}

${caseFunction(`${fn}_flags`, flagArms)}

${fn}_profiles() {
  ${bin} use --list-names 2>/dev/null
}

# Fills COMPREPLY from kind and words for the value being typed ($1), to be written after $2 (an inline "--flag="),
# with the start of the token ($3) that bash does not count as the current word ($4: it splits words on ':' and '=').
${fn}_reply() {
  local value="$1" inline="$2" skip="\${3%"$4"}" head="" item="$1" reply w
  local -a candidates=()
  case "$kind" in
    words | list)
      if [[ "$kind" == list && "$value" == *,* ]]; then head="\${value%,*},"; item="\${value##*,}"; fi
      local -a list=()
      read -r -a list <<< "$words"
      for w in "\${list[@]}"; do
        [[ "$kind" == list && ",$head" == *",$w,"* ]] && continue
        [[ "$w" == "$item"* ]] && candidates+=("$w")
      done
      [[ "$kind" == list ]] && compopt -o nospace 2>/dev/null
      ;;
    profiles)
      while IFS= read -r w; do
        [[ -n "$w" && "$w" == "$item"* ]] && candidates+=("$(printf '%q' "$w")")
      done < <(${fn}_profiles)
      ;;
    files)
      compopt -o filenames 2>/dev/null
      while IFS= read -r w; do candidates+=("$w"); done < <(compgen -f -- "$item")
      ;;
  esac
  COMPREPLY=()
  for w in "\${candidates[@]}"; do
    reply="$inline$head$w"
    COMPREPLY+=("\${reply#"$skip"}")
  done
}

${fn}_complete() {
  local line="\${COMP_LINE:0:COMP_POINT}" cur="\${COMP_WORDS[COMP_CWORD]}" kind="" words=""
  local -a parts=()
  # The words as the user typed them: bash's COMP_WORDS are also split at ':' and '=', which scope names hold.
  read -r -a parts <<< "$line"
  [[ -z "$line" || "$line" == *[[:space:]] ]] && parts+=("")
  local n=\${#parts[@]} token="\${parts[\${#parts[@]} - 1]}" id="" next i=1 j position=0

  # The command: the words after ${bin} as long as they name a topic or a command.
${commandWalk(fn, '${parts[i]}', 'n - 1')}
  if (( i == n - 1 )) && [[ "$token" != -* ]] && { [[ -z "$id" ]] || ${fn}_is_topic "$id"; }; then
    # Still choosing a topic or a command.
    [[ -n "$${fn}_oclif" ]] && "$${fn}_oclif" "$@"
    return 0
  fi
  COMPREPLY=()
  ${fn}_is_command "$id" || return 0

  # The value of a flag: "--flag=value", or the word after a flag that takes one.
  if [[ "$token" == --*=* ]] && ${fn}_flag_values "$id" "\${token%%=*}"; then
    ${fn}_reply "\${token#*=}" "\${token%%=*}=" "$token" "$cur"
    return 0
  fi
  if (( n - 2 >= i )) && [[ "\${parts[n - 2]}" == -?* && "\${parts[n - 2]}" != *=* ]] &&
    ${fn}_flag_values "$id" "\${parts[n - 2]}"; then
    ${fn}_reply "$token" "" "$token" "$cur"
    return 0
  fi

  # Which argument this is: the words after the command that are neither flags nor their values.
  for (( j = i; j < n - 1; j++ )); do
    if [[ "\${parts[j]}" == -?* ]]; then
      [[ "\${parts[j]}" != *=* ]] && ${fn}_flag_values "$id" "\${parts[j]}" && (( j++ ))
    else
      (( position++ ))
    fi
  done
  # A flag; or, where the command takes no further argument, the flags without a dash typed.
  ${fn}_arg_count "$id"
  local count=$?
  if [[ "$token" == -* ]] || (( position >= count )); then
    kind=words
    ${fn}_flags "$id"
  else
    ${fn}_arg_values "$id" "$position"
  fi
  ${fn}_reply "$token" "" "$token" "$cur"
}

complete -F ${fn}_complete ${bin}
`
}
