// How `sandbox start` ends: the first SIGINT (Ctrl+C) or SIGTERM (a supervisor) — a clean stop, exit 0.
// A module of its own, importing nothing: the command listens before it loads the server, so that a SIGTERM during
// start-up still ends in a clean stop.

export type StopSignal = 'SIGINT' | 'SIGTERM'

/** Resolves with the first SIGINT or SIGTERM from now on; both listeners are removed once one arrives. */
export function nextStopSignal(): Promise<StopSignal> {
  return new Promise((resolve) => {
    const on = (signal: StopSignal) => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      resolve(signal)
    }
    const onInt = () => on('SIGINT')
    const onTerm = () => on('SIGTERM')
    process.once('SIGINT', onInt)
    process.once('SIGTERM', onTerm)
  })
}
