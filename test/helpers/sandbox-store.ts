// What only tests ask of a sandbox database: counts, SQLite's integrity check, a revoked key, a stored logo, and
// the query plan of a lookup. Read through SandboxStore#query, which the sandbox itself never uses.
import type {SandboxStore} from '../../src/sandbox/store.js'

export function countKeys(store: SandboxStore): number {
  return Number(store.query('SELECT count(*) AS n FROM api_keys')[0]?.n ?? 0)
}

/** `PRAGMA integrity_check`: 'ok' for a sound file. */
export function integrityCheck(store: SandboxStore): string {
  return store
    .query('PRAGMA integrity_check')
    .map((row) => String(Object.values(row)[0]))
    .join('; ')
}

/** Marks a key revoked, as the platform's own tools would (the contract has no endpoint for it). */
export function revokeKey(store: SandboxStore, id: string, at: Date): void {
  store.query('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at.toISOString(), id])
}

/** The organization's logo bytes, if it has one. */
export function getLogo(store: SandboxStore, organizationId: string): Buffer | undefined {
  const logo = store.query('SELECT logo FROM organizations WHERE id = ?', [organizationId])[0]?.logo
  return logo instanceof Uint8Array ? Buffer.from(logo) : undefined
}

/** SQLite's plan for a statement (EXPLAIN QUERY PLAN), one `detail` line per step. */
export function queryPlan(store: SandboxStore, sql: string, params: Array<string | number | null> = []): string[] {
  return store.query(`EXPLAIN QUERY PLAN ${sql}`, params).map((row) => String(row.detail))
}
