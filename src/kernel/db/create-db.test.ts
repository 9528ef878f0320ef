import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { test } from 'node:test';
import { sql } from 'kysely';
import { forEachDialect, testDb } from '../../../test/helpers/db.js';
import { sha256Hex } from './create-db.js';

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
