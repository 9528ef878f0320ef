import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import fs from 'node:fs';
import { test } from 'node:test';
import { sql } from 'kysely';
import { forEachDialect, testDb } from '../../../test/helpers/db.js';
import { forgetErasedBytes, sha256Hex } from './create-db.js';

forEachDialect('kernel database: SQL functions', (dialect) => {
  test('every connection hashes a text in SQL as Node does (SHA-256 of its UTF-8 bytes), with no module set up', async () => {
    const handle = await testDb(dialect);
    try {
      const text = 'Élodie.Müller@exemple.fr';
      const row = await sql<{ h: string }>`select ${sha256Hex(dialect, sql.val(text))} as h`.execute(handle.db);
      assert.equal(row.rows[0]?.h, hash('sha256', text, 'hex'));
    } finally {
      await handle.close();
    }
  });
});

test('SQLite: a deleted value is gone from the database file and its write-ahead log once the erasure is checkpointed', async () => {
  const handle = await testDb('sqlite');
  try {
    const secret = 'effacement.verifie.7f3a@exemple.fr';
    await sql`create table scratch_erasure (id integer primary key, email text not null)`.execute(handle.db);
    await sql`insert into scratch_erasure (email) values ('voisin@exemple.fr'), (${secret})`.execute(handle.db);
    forgetErasedBytes(handle);
    const file = handle.sqliteFile!;
    assert.ok(fs.readFileSync(file).includes(secret), 'the value is in the file before the erasure');
    await sql`delete from scratch_erasure where email = ${secret}`.execute(handle.db);
    forgetErasedBytes(handle);
    assert.ok(!fs.readFileSync(file).includes(secret), 'the database file no longer holds the value');
    assert.ok(!fs.existsSync(`${file}-wal`) || !fs.readFileSync(`${file}-wal`).includes(secret), 'nor does its write-ahead log');
    assert.ok(fs.readFileSync(file).includes('voisin@exemple.fr'), 'the other row stays');
  } finally {
    await handle.close();
  }
});
