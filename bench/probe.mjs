// Preloaded with `node --import` into a measured process: reports its peak memory and CPU time, and optionally every
// module it loads. Appends to $CODIKA_PROBE_FILE, on exit: `rss <kB>` and `cpu <µs, user + system>`; with
// CODIKA_PROBE_MODULES=1 also `esm <url>` per ES module resolved (a resolve hook, which runs off-thread on Node 20)
// and `cjs <path>` per CommonJS module in the require cache (require() bypasses the hooks on Node 20, so it takes both),
// and `oclif <source>`: where codika's loader took @oclif/core from (src/lib/oclif/bundle.cts, oclifSource()).
import {appendFileSync} from 'node:fs'
import {createRequire, register} from 'node:module'

const file = process.env.CODIKA_PROBE_FILE
if (file) {
  // Not inherited by anything this process starts.
  delete process.env.CODIKA_PROBE_FILE
  const modules = process.env.CODIKA_PROBE_MODULES === '1'
  delete process.env.CODIKA_PROBE_MODULES
  if (modules) register('./probe-hooks.mjs', {parentURL: import.meta.url, data: {file}})
  process.on('exit', () => {
    const {cache} = createRequire(import.meta.url)
    const lines = modules ? Object.keys(cache).map((path) => `cjs ${path}`) : []
    const loader = modules
      ? Object.keys(cache).find((path) => /[\\/]dist[\\/]lib[\\/]oclif[\\/]bundle\.cjs$/.test(path))
      : undefined
    const source = loader && cache[loader].exports.oclifSource?.()
    if (source) lines.push(`oclif ${source}`)
    const usage = process.resourceUsage()
    lines.push(`rss ${usage.maxRSS}`, `cpu ${usage.userCPUTime + usage.systemCPUTime}`)
    appendFileSync(file, `${lines.join('\n')}\n`)
  })
}
