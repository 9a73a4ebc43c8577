// The sandbox database's schema: its versioned migrations and the checks that a file is a sandbox database at all.
import type sqlite from 'node-sqlite3-wasm'

import {
  LOGO_MIME_TYPES,
  MAX_LOGO_BYTES,
  ORGANIZATION_NAME_LENGTH,
  ORGANIZATION_SIZES,
  OTP_PURPOSES,
} from '../lib/api/contract.js'
import {SandboxStoreError} from './records.js'

type Database = InstanceType<typeof sqlite.Database>

/**
 * Version of the schema below, kept in `PRAGMA user_version`. A release that changes the schema appends a
 * migration to MIGRATIONS and bumps this; opening an older file runs the missing migrations in order.
 */
export const SCHEMA_VERSION = 2

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
  // 1 → 2: OTP self-provisioning (otp-store.ts).
  `
  -- A code sent by email, kept as a salted SHA-256 only. code_hash and code_salt are cleared (the code deleted) once
  -- it is locked out; the row stays, so the address is told OTP_LOCKED_OUT and the row still counts for the limits.
  CREATE TABLE otp_codes (
    id              TEXT PRIMARY KEY,
    email           TEXT NOT NULL,
    purpose         TEXT NOT NULL CHECK (purpose IN (${sqlList(OTP_PURPOSES)})),
    code_salt       TEXT,
    code_hash       TEXT CHECK (length(code_hash) = 64),
    client_ip       TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL CHECK (expires_at > created_at),
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    used_at         TEXT,
    locked_at       TEXT,
    CHECK ((code_hash IS NULL) = (code_salt IS NULL)),
    CHECK ((code_hash IS NULL) = (locked_at IS NOT NULL)),
    CHECK (used_at IS NULL OR locked_at IS NULL)
  ) STRICT;
  CREATE INDEX otp_codes_by_email ON otp_codes (email, created_at);
  CREATE INDEX otp_codes_by_ip ON otp_codes (client_ip, created_at);

  -- The sandbox's stand-in for email: every message it "sent", code in clear, as a mailbox would hold it.
  CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY,
    email      TEXT NOT NULL,
    purpose    TEXT NOT NULL CHECK (purpose IN (${sqlList(OTP_PURPOSES)})),
    code       TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    expires_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX outbox_by_email ON outbox (email);
  `,
]

export function migrate(db: Database, path: string): void {
  const version = Number(db.get('PRAGMA user_version')?.user_version)
  const applicationId = Number(db.get('PRAGMA application_id')?.application_id)
  if (version === 0) {
    const objects = Number(db.get('SELECT count(*) AS n FROM sqlite_schema')?.n)
    if (objects > 0 || applicationId !== 0) {
      throw new SandboxStoreError(
        `${path} is an SQLite database of another program, not a sandbox database; it was left as it is`,
        'DATA_FILE_FOREIGN',
      )
    }
  } else if (applicationId !== APPLICATION_ID) {
    throw new SandboxStoreError(
      `${path} is an SQLite database of another program, not a sandbox database; it was left as it is`,
      'DATA_FILE_FOREIGN',
    )
  }
  if (version > SCHEMA_VERSION) {
    throw new SandboxStoreError(
      `${path} was written by a newer codika (schema ${version}, this one knows ${SCHEMA_VERSION})`,
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
