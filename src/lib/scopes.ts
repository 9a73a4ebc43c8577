// The scope catalogue: the one list of scopes used by flags, help, validation, the client and the sandbox.

export interface ScopeInfo {
  readonly name: string
  readonly description: string
}

/** The scopes an organization key (`cko_`) may carry, in the platform's order. */
export const ORGANIZATION_SCOPES: readonly ScopeInfo[] = [
  {name: 'deploy:use-case', description: 'Deploy use cases, upload documents, and read metadata'},
  {name: 'projects:create', description: 'Create new projects via API'},
  {name: 'projects:read', description: 'List and inspect project details'},
  {name: 'workflows:trigger', description: 'Trigger workflows and poll execution status'},
  {name: 'executions:read', description: 'List and read execution details'},
  {name: 'instances:read', description: 'Read process instance details'},
  {name: 'instances:manage', description: 'Activate, deactivate, and manage instances'},
  {name: 'skills:read', description: 'Download agent skill documents'},
  {name: 'integrations:manage', description: 'Create, delete, and list integrations'},
  {name: 'api-keys:manage', description: 'Create, update, and manage organization API keys'},
]

export const ORGANIZATIONS_CREATE = 'organizations:create'

/** Scopes that only personal (`ckp_`) and admin (`cka_`) keys may carry, on top of the organization scopes. */
export const PERSONAL_ONLY_SCOPES: readonly ScopeInfo[] = [
  {name: ORGANIZATIONS_CREATE, description: 'Create organizations (personal and admin keys only)'},
]

export const ORGANIZATION_SCOPE_NAMES: readonly string[] = ORGANIZATION_SCOPES.map((s) => s.name)
export const PERSONAL_SCOPE_NAMES: readonly string[] = [
  ...ORGANIZATION_SCOPE_NAMES,
  ...PERSONAL_ONLY_SCOPES.map((s) => s.name),
]

export function isOrganizationScope(scope: string): boolean {
  return ORGANIZATION_SCOPE_NAMES.includes(scope)
}

/** Splits a comma-separated scope list: trimmed, empties dropped, duplicates dropped, order kept. */
export function splitScopes(raw: string): string[] {
  const seen = new Set<string>()
  for (const part of raw.split(',')) {
    const scope = part.trim()
    if (scope) seen.add(scope)
  }
  return [...seen]
}

/** Help text listing every organization scope with its description. */
export function scopeHelpTable(): string {
  const width = Math.max(...ORGANIZATION_SCOPES.map((s) => s.name.length))
  return ORGANIZATION_SCOPES.map((s) => `  ${s.name.padEnd(width)}  ${s.description}`).join('\n')
}
