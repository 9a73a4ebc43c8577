// Module hooks of bench/probe.mjs: writes the URL of every ES module (and CommonJS module imported from ESM) resolved.
import {appendFileSync} from 'node:fs'

let file

export function initialize(data) {
  file = data.file
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context)
  // Synchronous, so the line is on disk before the module even loads: nothing is lost when the process exits.
  if (!result.url.startsWith('node:')) appendFileSync(file, `esm ${result.url}\n`)
  return result
}
