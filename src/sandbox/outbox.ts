// Reading the outbox of a data file that no sandbox is running on (a running one is asked over HTTP instead).
import type {OutboxMessage} from './otp-store.js'
import {OtpStore} from './otp-store.js'
import {SandboxStore} from './store.js'

/**
 * Opens the file as `sandbox start` would (claiming it, so no sandbox starts on it meanwhile, and bringing an older
 * file to the current schema), reads the messages newest first (only those to `email` when given), and lets it go.
 */
export function readOutboxFile(dataFile: string, email?: string): OutboxMessage[] {
  const store = SandboxStore.open(dataFile)
  try {
    return new OtpStore(store).outbox(email)
  } finally {
    store.close()
  }
}
