// The package's own version, read once from package.json (same relative place from src/ and dist/).
import {readFileSync} from 'node:fs'

let cached: string | undefined

export function packageVersion(): string {
  if (cached === undefined) {
    try {
      cached = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string})
        .version
    } catch {
      cached = '0.0.0'
    }
  }
  return cached
}

export function userAgent(version = packageVersion()): string {
  return `codika-cli/${version} node/${process.versions.node} ${process.platform}`
}
