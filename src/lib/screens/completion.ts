// The human screens of `codika completion --install` / `--uninstall`: what changed, file by file.
import type {ChangedFile, InstallResult} from '../completion/install.js'
import {paint} from '../output.js'

function fileText(file: ChangedFile): string {
  const at = file.lines ? ` (lines ${file.lines[0]}–${file.lines[1]})` : ''
  switch (file.change) {
    case 'added': {
      return `${file.path}: added the codika completion block${at}`
    }
    case 'replaced': {
      return `${file.path}: replaced the former codika completion block${at}`
    }
    case 'removed': {
      return `${file.path}: removed the codika completion block`
    }
    case 'written': {
      return `${file.path}: written`
    }
    case 'deleted': {
      return `${file.path}: deleted`
    }
    case 'unchanged': {
      return `${file.path}: already up to date${at}`
    }
    case 'absent': {
      return `${file.path}: ${file.kind === 'block' ? 'no codika completion block' : 'not there'}`
    }
  }
}

const NEXT: Record<InstallResult['shell'], string> = {
  bash: 'Open a new shell to use it, or run: source ~/.bashrc',
  zsh: 'Open a new shell to use it.',
  fish: 'New fish shells complete codika.',
}

export function installText(result: InstallResult): string {
  const {shell, action, changed} = result
  const files = result.files.map((f) => `  ${fileText(f)}`)
  if (action === 'install') {
    const head = changed
      ? `${paint('green', '✓')} ${shell} completion installed.`
      : `${shell} completion is already installed: nothing changed.`
    return [head, ...files, ...(changed ? [NEXT[shell]] : [])].join('\n')
  }
  const head = changed
    ? `${paint('green', '✓')} ${shell} completion removed.`
    : `${shell} completion was not installed: nothing changed.`
  return [head, ...files].join('\n')
}
