/** Progress while a dump loads: the loader reports as it goes, and faces throttle what they show. */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { mock, test } from 'node:test';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import type { LoadProgress } from '../../../src/core/load/loadDump.ts';
import { humanDuration, loadProgressDescriber, throttled } from '../../../src/core/restore/progress.ts';
import { restoreToTempDb } from '../../../src/core/restore/restore.ts';
import { sqlite3, tempDir } from '../../helpers.ts';

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
  const dumpBytes = statSync(join(snapshot, 'snapshot.sql')).size;
  assert.ok(seen.at(-1)!.bytes <= dumpBytes);
  // The total is known from the start, so a face can show a share and the time left.
  for (const progress of seen) assert.equal(progress.totalBytes, dumpBytes);
  assert.equal(restored.stats.rows, 5000);
});

test('load progress reads as a share of the dump, and from the second line on the time left', () => {
  let clock = 0;
  const describe = loadProgressDescriber(() => clock);
  const at = (bytes: number, rows: number): LoadProgress => ({
    statements: rows,
    rows,
    bytes,
    totalBytes: 200_000_000,
  });
  assert.equal(describe(at(20_000_000, 100)), 'restoring: 10% (20.0 of 200.0 MB of the dump, 100 rows)');
  clock = 2000; // 40 MB in 2 s since the first line: 20 MB/s, 140 MB to go
  assert.equal(
    describe(at(60_000_000, 300)),
    'restoring: 30% (60.0 of 200.0 MB of the dump, 300 rows), about 7 s left',
  );
  clock = 4000;
  assert.equal(
    describe(at(100_000_000, 500)),
    'restoring: 50% (100.0 of 200.0 MB of the dump, 500 rows), about 5 s left',
  );
});

test('durations read in seconds, then minutes, then hours', () => {
  assert.deepEqual([0.4, 59.4, 61, 3599, 3725].map(humanDuration), [
    '0 s',
    '59 s',
    '1 min 01 s',
    '59 min 59 s',
    '1 h 02 min',
  ]);
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
