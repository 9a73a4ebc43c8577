// Validates contract messages. The built CLI uses validators generated ahead of time by scripts/build.mjs
// (no schema compilation at run time); from the TypeScript sources, ajv compiles the same schemas on first use.
import type {ValidateFunction} from 'ajv'

import {ENDPOINTS, type EndpointName, errorEnvelopeSchema, successEnvelopeSchema} from './contract.js'

export type SchemaId = `${EndpointName}.request` | `${EndpointName}.data` | 'successEnvelope' | 'errorEnvelope'

/** Every schema of the contract, by id: what the build generates validators for. */
export const SCHEMA_IDS: readonly SchemaId[] = [
  'successEnvelope',
  'errorEnvelope',
  ...(Object.keys(ENDPOINTS) as EndpointName[]).flatMap((name): SchemaId[] =>
    'request' in ENDPOINTS[name] ? [`${name}.request`, `${name}.data`] : [`${name}.data`],
  ),
]

// strictRequired is off: it would refuse the `anyOf: [{required: [...]}]` of updateOrganizationKey's request.
export const AJV_OPTIONS = {allErrors: false, strict: true, strictRequired: false} as const

/** The file the build writes next to this module; absent when running from the sources. */
const GENERATED = './validators.generated.js'

/** The generated module's export for a schema (`createOrganizationKey.request` → `createOrganizationKey_request`). */
export function exportName(id: SchemaId): string {
  return id.replace('.', '_')
}

export function schemaOf(id: SchemaId): object {
  if (id === 'successEnvelope') return successEnvelopeSchema
  if (id === 'errorEnvelope') return errorEnvelopeSchema
  const [name, part] = id.split('.') as [EndpointName, 'data' | 'request']
  const endpoint = ENDPOINTS[name]
  const schema = part === 'request' ? ('request' in endpoint ? endpoint.request : undefined) : endpoint.data
  if (!schema) throw new Error(`no ${part} schema for ${name}`)
  return schema
}

type Source = (id: SchemaId) => ValidateFunction
let source: Promise<Source> | undefined

async function loadSource(): Promise<Source> {
  try {
    const generated = (await import(GENERATED)) as Record<string, ValidateFunction>
    return (id) => generated[exportName(id)]
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error
  }
  const {default: Ajv} = await import('ajv')
  const ajv = new Ajv.default(AJV_OPTIONS)
  const compiled = new Map<SchemaId, ValidateFunction>()
  return (id) => {
    let fn = compiled.get(id)
    if (!fn) compiled.set(id, (fn = ajv.compile(schemaOf(id))))
    return fn
  }
}

export async function validator(id: SchemaId): Promise<ValidateFunction> {
  source ??= loadSource()
  const fn = (await source)(id)
  if (!fn) throw new Error(`no validator for ${id}`)
  return fn
}

/** Validates `value`; returns undefined when valid, else a one-line description of the first problem. */
export async function check(id: SchemaId, value: unknown): Promise<string | undefined> {
  const fn = await validator(id)
  if (fn(value)) return undefined
  const e = fn.errors?.[0]
  if (!e) return 'is invalid'
  const where = e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : 'body'
  return `${where} ${e.message ?? 'is invalid'}`
}
