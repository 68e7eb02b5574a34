/**
 * The new database a restore loads into: no rollback journal (it is thrown away on failure, so a
 * journal would only cost writes), while the connection stays in SQLite's defensive mode for the
 * dump's own statements.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { prepareNewDatabase } from '../../../src/core/load/insertWorker.ts';
import { loadSqlite } from '../../../src/core/sqlite/sqlite.ts';
import { tempDir } from '../../helpers.ts';

test('the load connection really runs without a journal, and defensive mode still guards the schema', async () => {
  const Sqlite = await loadSqlite();
  const db = new Sqlite(join(tempDir('new-db-settings-'), 'restore.db'));
  try {
    prepareNewDatabase(db);
    // Defensive mode ignores journal_mode = OFF without a word: read back what is in force.
    assert.equal(db.pragma('journal_mode', { simple: true }), 'off');
    assert.ok((db.pragma('threads', { simple: true }) as number) >= 1, 'the index sorter has helper threads');
    assert.equal(db.pragma('trusted_schema', { simple: true }), 0);
    // A dump that tries to make the schema writable is still ignored: the guard is back on.
    db.pragma('writable_schema = ON');
    assert.equal(db.pragma('writable_schema', { simple: true }), 0);
  } finally {
    db.close();
  }
});
