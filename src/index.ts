// The package's public API for plugins: what a third-party command needs to behave exactly like a built-in one.
// Keep this module light: it is imported by every plugin command, so nothing here may load ajv, undici or the
// sandbox at import time (the client imports them on its first call).

// Commands: extend PlatformCommand for a command that calls the platform (--profile/-p, --api-url, --api-key,
// --json; this.credentials(), this.client(), this.withSpinner()), BaseCommand for one that does not.
export {BaseCommand, PlatformCommand, toCodikaError, EXIT} from './lib/oclif/base-command.js'
export type {BaseArgs, BaseFlags, ErrorJson} from './lib/oclif/base-command.js'
// The same @oclif/core the base commands are built on, so that a plugin's flags and args match codika's.
export {Args, Flags} from './lib/oclif/index.js'

// Errors: throw a CodikaError (or usageError for exit 2); the base command prints it and sets the exit code.
export {CodikaError, usageError} from './lib/errors.js'
export type {CodikaErrorOptions, ErrorCode} from './lib/errors.js'

// The HTTP client of the platform (CONTRACT.md) and the contract's message types.
export {CodikaClient, DEFAULT_TIMEOUT_SECONDS, timeoutFromEnv} from './lib/api/client.js'
export type {ClientOptions} from './lib/api/client.js'
export {AUTH_HEADER, KEY_TYPES, keyTypeOf, ORGANIZATION_SIZES, PRODUCTION_BASE_URL} from './lib/api/contract.js'
export type {
  CreateOrganizationData,
  CreateOrganizationKeyData,
  CreateOrganizationKeyRequest,
  CreateOrganizationRequest,
  ErrorEnvelope,
  KeyType,
  OrganizationSize,
  SuccessEnvelope,
  UpdateOrganizationKeyData,
  UpdateOrganizationKeyRequest,
  VerifyApiKeyData,
} from './lib/api/contract.js'

// Which key and which URL (SPEC.md's table), and where they came from. loadCredentials also reads a profile's key
// from the system credential store; resolveCredentials only takes keys kept in the file.
export {describeKeySource, describeUrlSource, loadCredentials, resolveCredentials} from './lib/credentials.js'
export type {CredentialInput, Credentials, KeySource, UrlSource} from './lib/credentials.js'

// The profile file. Plugins should only read it (ProfileStore#read, or this.store in a command): the file is
// shared with codika itself and the established client, and its writes follow rules (lock, atomic replace,
// modes) that only codika's own commands are tested against.
export {ProfileStore} from './lib/profiles/store.js'
export {configPath} from './lib/profiles/paths.js'
export type {Profile, ProfileFile} from './lib/profiles/types.js'
export type {KeyLocation, KeyringRef, StorageChoice} from './lib/profiles/keyring.js'

// The scope catalogue.
export {
  ORGANIZATION_SCOPE_NAMES,
  ORGANIZATION_SCOPES,
  ORGANIZATIONS_CREATE,
  PERSONAL_ONLY_SCOPES,
  PERSONAL_SCOPE_NAMES,
  isOrganizationScope,
  splitScopes,
} from './lib/scopes.js'
export type {ScopeInfo} from './lib/scopes.js'

// Keys on screen: mask them; redact() removes every key this process has seen from a text.
export {maskKey, redact} from './lib/redact.js'
