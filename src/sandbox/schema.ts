// The sandbox database's schema: its versioned migrations and the checks that a file is a sandbox database at all.
import type sqlite from 'node-sqlite3-wasm'

import {LOGO_MIME_TYPES, MAX_LOGO_BYTES, ORGANIZATION_NAME_LENGTH, ORGANIZATION_SIZES} from '../lib/api/contract.js'
import {SandboxStoreError} from './records.js'

type Database = InstanceType<typeof sqlite.Database>

/**
 * Version of the schema below, kept in `PRAGMA user_version`. A release that changes the schema appends a
 * migration to MIGRATIONS and bumps this; opening an older file runs the missing migrations in order.
 */
export const SCHEMA_VERSION = 1

/** `PRAGMA application_id` of a sandbox file ("cksb"), so another program's SQLite file is never mistaken for one. */
export const APPLICATION_ID = 0x636b7362

const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ')

const MIGRATIONS: readonly string[] = [
  // 0 → 1: the first schema.
  `
  CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE people (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL CHECK (length(name) > 0),
    email      TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE organizations (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL CHECK (length(name) BETWEEN ${ORGANIZATION_NAME_LENGTH.min} AND ${ORGANIZATION_NAME_LENGTH.max}),
    description           TEXT,
    size                  TEXT CHECK (size IN (${sqlList(ORGANIZATION_SIZES)})),
    logo_mime_type        TEXT CHECK (logo_mime_type IN (${sqlList(LOGO_MIME_TYPES)})),
    logo                  BLOB CHECK (length(logo) BETWEEN 1 AND ${MAX_LOGO_BYTES}),
    n8n_base_url          TEXT,
    store_credential_copy INTEGER NOT NULL DEFAULT 0 CHECK (store_credential_copy IN (0, 1)),
    created_by            TEXT NOT NULL REFERENCES people (id),
    created_at            TEXT NOT NULL,
    CHECK ((logo IS NULL) = (logo_mime_type IS NULL))
  ) STRICT;

  CREATE TABLE memberships (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    person_id       TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organization_id, person_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX memberships_by_person ON memberships (person_id);

  -- Only the SHA-256 of a key is kept; UNIQUE gives the index every authentication looks keys up by.
  -- Organization keys belong to an organization (created_by: the person who minted it); personal and
  -- admin keys belong to a person and to no organization.
  CREATE TABLE api_keys (
    id              TEXT PRIMARY KEY,
    key_hash        TEXT NOT NULL UNIQUE CHECK (length(key_hash) = 64 AND key_hash NOT GLOB '*[^0-9a-f]*'),
    key_prefix      TEXT NOT NULL CHECK (length(key_prefix) = 12),
    type            TEXT NOT NULL CHECK (type IN ('org-api-key', 'personal-api-key', 'admin-api-key')),
    name            TEXT NOT NULL CHECK (length(name) > 0),
    description     TEXT,
    scopes          TEXT NOT NULL CHECK (json_valid(scopes) AND json_type(scopes) = 'array'),
    organization_id TEXT REFERENCES organizations (id) ON DELETE CASCADE,
    person_id       TEXT REFERENCES people (id) ON DELETE CASCADE,
    created_by      TEXT REFERENCES people (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT CHECK (expires_at > created_at),
    updated_at      TEXT NOT NULL,
    last_used_at    TEXT,
    revoked_at      TEXT,
    CHECK (substr(key_prefix, 1, 4) =
           CASE type WHEN 'org-api-key' THEN 'cko_' WHEN 'personal-api-key' THEN 'ckp_' ELSE 'cka_' END),
    CHECK ((type = 'org-api-key') = (organization_id IS NOT NULL)),
    CHECK ((type = 'org-api-key') = (person_id IS NULL))
  ) STRICT;
  CREATE INDEX api_keys_by_organization ON api_keys (organization_id);
  `,
]

export function migrate(db: Database, path: string): void {
  const version = Number(db.get('PRAGMA user_version')?.user_version)
  const applicationId = Number(db.get('PRAGMA application_id')?.application_id)
  if (version === 0) {
    const objects = Number(db.get('SELECT count(*) AS n FROM sqlite_schema')?.n)
    if (objects > 0 || applicationId !== 0) {
      throw new SandboxStoreError(
        `${path} is an SQLite database of another program, not a sandbox database; choose another file`,
        'DATA_FILE_INVALID',
      )
    }
  } else if (applicationId !== APPLICATION_ID) {
    throw new SandboxStoreError(
      `${path} is an SQLite database of another program, not a sandbox database; choose another file`,
      'DATA_FILE_INVALID',
    )
  }
  if (version > SCHEMA_VERSION) {
    throw new SandboxStoreError(
      `${path} was written by a newer codika (schema ${version}, this one knows ${SCHEMA_VERSION}); ` +
        'upgrade codika or start with --reset',
      'DATA_FILE_TOO_NEW',
    )
  }
  for (let next = version; next < SCHEMA_VERSION; next++) {
    db.exec('BEGIN IMMEDIATE')
    try {
      db.exec(MIGRATIONS[next])
      db.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${next + 1};`)
      db.exec('COMMIT')
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK')
      throw error
    }
  }
}
