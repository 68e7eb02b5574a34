/** Progress while a dump loads: the loader reports as it goes, and faces throttle what they show. */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { mock, test } from 'node:test';
import { buildSnapshot } from '../../src/core/build.ts';
import type { LoadProgress } from '../../src/core/loadDump.ts';
import { describeLoadProgress, throttled } from '../../src/core/progress.ts';
import { restoreToTempDb } from '../../src/core/restore.ts';
import { sqlite3, tempDir } from '../helpers.ts';

test('a restore reports rows and bytes as it loads, in order, up to the whole dump', async () => {
  const dir = tempDir('load-progress-');
  const db = join(dir, 'source.db');
  sqlite3(
    db,
    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO t SELECT i, printf('row %d', i) FROM n;",
  );
  const snapshot = join(dir, 'snapshot');
  await buildSnapshot({ database: db, outDir: snapshot, env: {} });
  const seen: LoadProgress[] = [];
  const restored = await restoreToTempDb(snapshot, join(dir, 'target.db'), {}, { onProgress: (p) => seen.push(p) });
  // One report every few hundred statements: several for 5000 rows, each further along.
  assert.ok(seen.length >= 5, `${seen.length} reports`);
  for (let i = 1; i < seen.length; i += 1) {
    assert.ok(seen[i]!.rows >= seen[i - 1]!.rows && seen[i]!.bytes >= seen[i - 1]!.bytes);
  }
  assert.ok(seen.at(-1)!.rows <= 5000 && seen.at(-1)!.rows > 4000);
  assert.ok(seen.at(-1)!.bytes <= statSync(join(snapshot, 'snapshot.sql')).size);
  assert.equal(restored.stats.rows, 5000);
  assert.equal(
    describeLoadProgress({ statements: 3, rows: 2, bytes: 1_500_000 }),
    'restoring: 2 rows, 1.5 MB of the dump read',
  );
});

test('throttled reports at most once per interval', () => {
  mock.timers.enable({ apis: ['Date'], now: 0 });
  try {
    const shown: number[] = [];
    const report = throttled(2000, (value: number) => shown.push(value));
    report(1); // at 0 ms: too soon after start
    mock.timers.tick(2000);
    report(2);
    mock.timers.tick(1000);
    report(3); // 1 s after the last one
    mock.timers.tick(1000);
    report(4);
    assert.deepEqual(shown, [2, 4]);
  } finally {
    mock.timers.reset();
  }
});
