// Whether a process of this machine is running, by its pid. A leaf (Node only, no import of codika's): the profile
// lock and the sandbox's claim on its data file both judge a holder by it, so the sandbox may import it too.

/** True when `pid` names a running process of this machine, under this user or another one. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0) // signal 0: only the existence and permission checks
    return true
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
