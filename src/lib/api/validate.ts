// Compiles the contract's schemas with ajv on first use, so commands that never validate never load ajv.
import type {ValidateFunction} from 'ajv'

import {ENDPOINTS, type EndpointName, errorEnvelopeSchema, successEnvelopeSchema} from './contract.js'

type SchemaId = `${EndpointName}.request` | `${EndpointName}.data` | 'successEnvelope' | 'errorEnvelope'

const cache = new Map<SchemaId, ValidateFunction>()
let ajvPromise: Promise<{compile(schema: object): ValidateFunction}> | undefined

async function ajv() {
  // strictRequired is off: it would refuse the `anyOf: [{required: [...]}]` of updateOrganizationKey's request.
  ajvPromise ??= import('ajv').then(
    ({default: Ajv}) => new Ajv.default({allErrors: false, strict: true, strictRequired: false}),
  )
  return ajvPromise
}

function schemaOf(id: SchemaId): object {
  if (id === 'successEnvelope') return successEnvelopeSchema
  if (id === 'errorEnvelope') return errorEnvelopeSchema
  const [name, part] = id.split('.') as [EndpointName, 'data' | 'request']
  const endpoint = ENDPOINTS[name]
  const schema = part === 'request' ? ('request' in endpoint ? endpoint.request : undefined) : endpoint.data
  if (!schema) throw new Error(`no ${part} schema for ${name}`)
  return schema
}

export async function validator(id: SchemaId): Promise<ValidateFunction> {
  let fn = cache.get(id)
  if (!fn) {
    fn = (await ajv()).compile(schemaOf(id))
    cache.set(id, fn)
  }
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
