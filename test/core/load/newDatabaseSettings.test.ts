/**
 * The new database a restore loads into: its rollback journal in memory (the file is thrown away
 * on failure, but a refused statement must still be undone), helper threads for the index sorter,
 * and SQLite's defensive mode kept on for the dump's own statements.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { prepareNewDatabase } from '../../../src/core/load/insertWorker.ts';
import { loadSqlite } from '../../../src/core/sqlite/sqlite.ts';
import { tempDir } from '../../helpers.ts';

test('the load connection journals in memory, sorts on helper threads, and defensive mode guards the schema', async () => {
  const Sqlite = await loadSqlite();
  const db = new Sqlite(join(tempDir('new-db-settings-'), 'restore.db'));
  try {
    prepareNewDatabase(db);
    // Read back what is in force: defensive mode ignores some journal modes without a word.
    assert.equal(db.pragma('journal_mode', { simple: true }), 'memory');
    assert.ok((db.pragma('threads', { simple: true }) as number) >= 1, 'the index sorter has helper threads');
    assert.equal(db.pragma('trusted_schema', { simple: true }), 0);
    // A dump that tries to make the schema writable is still ignored: the guard is back on.
    db.pragma('writable_schema = ON');
    assert.equal(db.pragma('writable_schema', { simple: true }), 0);
  } finally {
    db.close();
  }
});
