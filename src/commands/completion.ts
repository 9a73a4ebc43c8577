import {Args, Flags, example} from '../lib/oclif/index.js'

import {BaseCommand} from '../lib/oclif/base-command.js'
import {completionScript} from '../lib/oclif/completion.js'
import {COMPLETION_SHELLS, installCompletion, installShell, uninstallCompletion} from '../lib/completion/install.js'
import {usageError} from '../lib/errors.js'
import {installText} from '../lib/screens/completion.js'

export default class Completion extends BaseCommand<typeof Completion> {
  static override summary = 'Print the shell completion script for bash, zsh, fish or PowerShell, or install it.'

  static override description = `TAB then completes topics, commands, every flag, the values of flags (--size, --scopes) and profile names (after use, logout, profile use|show|remove and --profile).

--install sets it up for your shell (from $SHELL, or --shell), in the places codika 3.6.0 used: a block between "# BEGIN codika completion" and "# END codika completion" in ~/.bashrc; ~/.zsh/completions/_codika and a block in ~/.zshrc; ~/.config/fish/completions/codika.fish. Running it again changes nothing; 3.6.0's block is replaced; no other line of an rc file is touched. --uninstall removes exactly that.`

  static override examples = [
    example('Set up completion for the shell you use', '--install'),
    {description: 'Or load it from ~/.bashrc yourself', command: 'eval "$(<%= config.bin %> <%= command.id %> bash)"'},
    {description: 'zsh, after compinit in ~/.zshrc', command: 'source <(<%= config.bin %> <%= command.id %> zsh)'},
    example('Remove it again', '--uninstall'),
  ]

  static override args = {
    shell: Args.string({description: 'The shell to print the script for.', options: [...COMPLETION_SHELLS]}),
  }

  static override flags = {
    install: Flags.boolean({
      summary: 'Set up completion for your shell (bash, zsh or fish).',
      exclusive: ['uninstall'],
    }),
    uninstall: Flags.boolean({summary: 'Remove what --install set up.', exclusive: ['install']}),
    shell: Flags.string({
      summary: 'The shell to --install or --uninstall for (default: the one $SHELL names).',
      options: [...COMPLETION_SHELLS],
      relationships: [{type: 'some', flags: ['install', 'uninstall']}],
    }),
  }

  async run() {
    const {install, uninstall} = this.flags
    const named = this.flags.shell ?? this.args.shell
    if (this.flags.shell && this.args.shell && this.flags.shell !== this.args.shell)
      throw usageError('INVALID_FLAG', `Two shells named: ${this.args.shell} and --shell ${this.flags.shell}.`)
    if (install || uninstall) {
      const shell = installShell(named)
      const result = install
        ? await installCompletion(shell, (s) => completionScript(this.config, s))
        : await uninstallCompletion(shell)
      if (!this.jsonEnabled()) this.log(installText(result))
      return result
    }
    if (!this.args.shell)
      throw usageError(
        'INVALID_ARGUMENT',
        'Name the shell to print the completion script for.',
        'codika completion bash|zsh|fish|powershell, or codika completion --install to set it up.',
      )
    const script = await completionScript(this.config, this.args.shell as (typeof COMPLETION_SHELLS)[number])
    if (!this.jsonEnabled()) process.stdout.write(script)
    return {shell: this.args.shell, script}
  }
}
