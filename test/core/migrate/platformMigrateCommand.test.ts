/**
 * `{db}` in a migrate command is quoted for the shell that runs it: /bin/sh, or cmd.exe on Windows,
 * where a path cmd would re-read is refused in favour of %SNAPSHOT_DB%. The quoting of both is
 * checked as text on any OS; the shell of this OS runs it for real, with paths hard for it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { expandMigrateCommand, quoteDbPath, runMigrateCommand } from '../../../src/core/migrate/migrateCommand.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import { tempDir } from '../../helpers.ts';

const WINDOWS = process.platform === 'win32';

test('for /bin/sh, {db} is single-quoted, a quote in it closed, escaped and reopened', () => {
  for (const platform of ['linux', 'darwin', 'freebsd'] as const) {
    assert.equal(quoteDbPath(platform, '/srv/app.db'), `'/srv/app.db'`);
    assert.equal(quoteDbPath(platform, `/srv/it's $HOME/%x%!^&|<>"\`.db`), `'/srv/it'\\''s $HOME/%x%!^&|<>"\`.db'`);
  }
});

test('for cmd.exe, {db} is double-quoted, with trailing backslashes doubled so the quote still closes', () => {
  assert.equal(quoteDbPath('win32', 'C:\\data\\app.db'), '"C:\\data\\app.db"');
  assert.equal(
    quoteDbPath('win32', "C:\\Program Files (x86)\\it's $HOME; a=b,c `x` ~\\app.db"),
    `"C:\\Program Files (x86)\\it's $HOME; a=b,c \`x\` ~\\app.db"`,
  );
  assert.equal(quoteDbPath('win32', 'C:\\data\\'), '"C:\\data\\\\"');
  assert.equal(quoteDbPath('win32', 'C:\\a\\b\\\\'), '"C:\\a\\b\\\\\\\\"');
});

test('for cmd.exe, a path holding a character quotes cannot protect is refused, naming it, pointing at %SNAPSHOT_DB%', () => {
  for (const special of ['"', '%', '!', '^', '&', '|', '<', '>', '\r', '\n']) {
    const path = `C:\\data\\50${special}off\\app.db`;
    assert.throws(
      () => quoteDbPath('win32', path),
      (error: unknown) => {
        assert.ok(error instanceof SnapshotError, String(error));
        assert.equal(error.kind, 'usage');
        assert.ok(error.message.includes(path), error.message);
        assert.ok(error.message.includes(`holds ${JSON.stringify(special)}, which cmd.exe`), error.message);
        assert.match(error.hint ?? '', /"%SNAPSHOT_DB%" \(with the quotes\) in the migrate command instead of \{db\}/);
        return true;
      },
      JSON.stringify(special),
    );
  }
});

test('every {db} is replaced; a command without one is run as written, whatever the path', () => {
  assert.equal(expandMigrateCommand('m {db} && check {db}', '/a b', 'linux'), `m '/a b' && check '/a b'`);
  assert.equal(expandMigrateCommand('m {db}', 'C:\\a b', 'win32'), 'm "C:\\a b"');
  const command = 'migrate "%SNAPSHOT_DB%"';
  assert.equal(expandMigrateCommand(command, 'C:\\50%\\app.db', 'win32'), command);
});

/** A migrate command that runs Node on a script printing the argument it got and SNAPSHOT_DB, as JSON. */
function argvCommand(): string {
  const script = join(tempDir('migrate-argv-'), 'argv.mjs');
  writeFileSync(
    script,
    'process.stdout.write(JSON.stringify({ arg: process.argv[2], env: process.env.SNAPSHOT_DB, argc: process.argv.length }));\n',
  );
  // Plain double quotes around them must keep them whole in both shells.
  for (const path of [process.execPath, script]) assert.doesNotMatch(path, WINDOWS ? /["%!^&|<>]/ : /["$`\\]/);
  return `"${process.execPath}" "${script}" {db}`;
}

/** Paths this OS allows in a file name that its shell would otherwise split, expand or run. */
const HARD_NAMES = WINDOWS
  ? ["it's $HOME (1); a=b,c `x` ~"]
  : ["it's $HOME (1); a=b,c `x` ~", `50% off! ^caret & pipe | <in> "quoted" \\back`];

test(`this OS's shell (${WINDOWS ? 'cmd.exe' : '/bin/sh'}) hands {db} to the migrator as exactly one argument`, async () => {
  const command = argvCommand();
  for (const name of HARD_NAMES) {
    const dir = join(tempDir('migrate-hard-'), name);
    mkdirSync(dir);
    const dbPath = join(dir, 'app.db');
    const output = await runMigrateCommand(command, dbPath, process.env);
    assert.deepEqual(JSON.parse(output), { arg: dbPath, env: dbPath, argc: 3 }, name);
  }
});

test(`this OS's refusal comes before anything runs: ${WINDOWS ? 'refused on Windows' : 'run as written on POSIX'}`, async () => {
  const dir = join(tempDir('migrate-percent-'), '50% off');
  mkdirSync(dir);
  const dbPath = join(dir, 'app.db');
  const run = runMigrateCommand(argvCommand(), dbPath, process.env);
  if (WINDOWS) await assert.rejects(run, /holds "%", which cmd\.exe interprets/);
  else assert.deepEqual(JSON.parse(await run), { arg: dbPath, env: dbPath, argc: 3 });
});
