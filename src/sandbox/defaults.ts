// The sandbox's defaults, in a module that imports nothing: `sandbox start`'s flags read them without loading the server.
export const DEFAULT_PORT = 8787
export const DEFAULT_HOST = '127.0.0.1'
/** The data file's name in its default folder, <XDG data home>/codika/. */
export const DATA_FILE_NAME = 'sandbox.db'
