// The first-start contents of a sandbox: "Sandbox Org" with an owner, an admin and a plain member, each with a key.
import {ORGANIZATION_SCOPE_NAMES, ORGANIZATIONS_CREATE} from '../lib/scopes.js'
import type {Role} from './records.js'
import type {SandboxStore} from './store.js'

export const SANDBOX_ORGANIZATION_NAME = 'Sandbox Org'

const API_KEYS_MANAGE = 'api-keys:manage'

/**
 * Who is seeded and what their personal keys may do. Each one exercises a different rule:
 * - owner: every scope, including organizations:create, so it can do everything the contract allows;
 * - admin: the organization scopes (with api-keys:manage) but not organizations:create, so it manages
 *   Sandbox Org's keys, is refused (403) on creating an organization, and on keys of organizations it is not in;
 * - member: the organization scopes without api-keys:manage and no organizations:create, so creating or
 *   updating a key is refused (403) by scope, as is creating an organization.
 */
const SEEDED_PEOPLE: readonly {role: Role; name: string; email: string; scopes: readonly string[]}[] = [
  {
    role: 'owner',
    name: 'Sandbox Owner',
    email: 'owner@sandbox.codika.local',
    scopes: [...ORGANIZATION_SCOPE_NAMES, ORGANIZATIONS_CREATE],
  },
  {role: 'admin', name: 'Sandbox Admin', email: 'admin@sandbox.codika.local', scopes: [...ORGANIZATION_SCOPE_NAMES]},
  {
    role: 'member',
    name: 'Sandbox Member',
    email: 'member@sandbox.codika.local',
    scopes: ORGANIZATION_SCOPE_NAMES.filter((scope) => scope !== API_KEYS_MANAGE),
  },
]

/** The seeded people's addresses, the same on every start: they log in by emailed code (`codika auth login-…`). */
export const SEEDED_ACCOUNTS: readonly {role: Role; name: string; email: string}[] = SEEDED_PEOPLE.map(
  ({role, name, email}) => ({role, name, email}),
)

export interface SeededKey {
  role: Role
  personId: string
  personName: string
  email: string
  type: 'personal-api-key'
  keyId: string
  /** The raw key: shown this once, stored nowhere. */
  apiKey: string
  keyPrefix: string
  keyName: string
  scopes: string[]
  createdAt: string
}

export interface SeededSandbox {
  organizationId: string
  organizationName: string
  owner: SeededKey
  admin: SeededKey
  member: SeededKey
}

// Set once seeding is committed; its presence is what makes seeding happen on the first start only.
const SEEDED_AT = 'seeded_at'

/** Seeds an empty sandbox in one transaction and returns the raw keys; undefined when it was seeded before. */
export function seedSandbox(store: SandboxStore, at: Date): SeededSandbox | undefined {
  return store.transaction(() => {
    if (store.getMeta(SEEDED_AT) !== undefined) return undefined
    const people = SEEDED_PEOPLE.map((spec) => ({spec, person: store.createPerson(spec.name, spec.email, at)}))
    const owner = people[0].person
    const organization = store.createOrganization(
      {name: SANDBOX_ORGANIZATION_NAME, description: 'Created by codika sandbox start', size: 'solo'},
      owner.id,
      at,
    )
    const seeded: Partial<Record<Role, SeededKey>> = {}
    for (const {spec, person} of people) {
      if (spec.role !== 'owner') store.addMember(organization.id, person.id, spec.role, at)
      const keyName = `${person.name} key`
      const {apiKey, record} = store.createKey({
        type: 'personal-api-key',
        name: keyName,
        scopes: spec.scopes,
        personId: person.id,
        createdAt: at,
      })
      seeded[spec.role] = {
        role: spec.role,
        personId: person.id,
        personName: person.name,
        email: person.email,
        type: 'personal-api-key',
        keyId: record.id,
        apiKey,
        keyPrefix: record.keyPrefix,
        keyName,
        scopes: record.scopes,
        createdAt: record.createdAt,
      }
    }
    store.setMeta(SEEDED_AT, at.toISOString())
    return {
      organizationId: organization.id,
      organizationName: organization.name,
      owner: seeded.owner!,
      admin: seeded.admin!,
      member: seeded.member!,
    }
  })
}
