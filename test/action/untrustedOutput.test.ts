/**
 * The Action, as a process with INPUT_* and the runner's files, reading a snapshot crafted to
 * attack the job's log (workflow commands, terminal escapes, HTML in names and manifest values).
 * The log is read the way the runner reads it: the only commands it would carry out are our own
 * groups and annotations, and the summary holds no control character and no HTML of the snapshot's.
 * Runs the Action from source (src/index.ts), so it tests this checkout without a rebuilt bundle.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import {
  assertInert,
  assertShownEscaped,
  type HostileSnapshots,
  hostileSnapshots,
  rawHtmlOutsideCode,
} from '../core/restore/hostileSnapshot.ts';
import { tempDir } from '../helpers.ts';
import { type ActionRun, explain, runActionFromSource } from './actionRunner.ts';
import { type RunnerCommand, runnerCommands } from './runnerCommands.ts';

let snapshots: HostileSnapshots;

before(async () => {
  snapshots = await hostileSnapshots();
});

/** Our own commands: groups we open and close, and annotations titled by us. */
function isOwnCommand(command: RunnerCommand): boolean {
  if (command.command === 'endgroup') return command.data === '';
  if (command.command === 'group') return /^[A-Z][a-z]+ /.test(command.data) && !command.data.includes('forged');
  if (!['error', 'warning', 'notice'].includes(command.command)) return false;
  return (command.properties.title ?? '').startsWith('sqlite-snapshot') && Object.keys(command.properties).length === 1;
}

/** What the runner would do with the step's log is exactly what we meant, and nothing else acts. */
function assertOnlyOwnCommands(run: ActionRun): RunnerCommand[] {
  const commands = runnerCommands(run.stdout);
  for (const command of commands) assert.ok(isOwnCommand(command), `a forged command: ${command.line}`);
  // Annotation text, as the runner unescapes it for the UI, carries no control either.
  for (const command of commands) assertInert(command.data.replace(/^\s*::/gm, ''), `${command.command} data`);
  const own = new Set(commands.map((command) => command.line));
  assertInert(run.stdout, 'log', (line) => own.has(line));
  assertInert(run.stderr, 'stderr');
  return commands;
}

function assertSafeSummary(summary: string): void {
  assert.notEqual(summary, '', 'a summary was written');
  // The summary is not read for commands; its own fenced lines may start with `::`, controls may not.
  assertInert(summary.replace(/^\s*::/gm, ''), 'summary');
  for (const tag of rawHtmlOutsideCode(summary)) {
    assert.match(tag, /^<\/?(details|summary)>$/, `HTML from the snapshot in the summary: ${tag}`);
  }
}

test('verify of a manifest with a hostile extra key and value: two annotations of ours, escaped', async () => {
  const run = await runActionFromSource({
    inputs: { mode: 'verify', path: snapshots.extraKey, 'db-migration-version': '5' },
  });
  assert.equal(run.code, 1, explain(run));
  assert.equal(run.outputs.verdict, 'failed');
  const commands = assertOnlyOwnCommands(run);
  const errors = commands.filter((command) => command.command === 'error');
  assert.equal(errors.length, 2, errors.map((error) => error.line).join('\n'));
  // The annotation still says what is wrong, in escaped form.
  assert.ok(errors.some((error) => error.data.includes('got "5\\n::error title=forged::pwned')));
  assertShownEscaped(run.stdout, 'log');
  assertSafeSummary(run.summary);
  // Readable there too: the value's text is in the failed checks table, on its row.
  assert.match(run.summary, /^\| `db_migration_version` \| "5" \| "5.*::error title=forged::pwned.* \|$/m);
});

test('verify of a snapshot with hostile names and values that passes: only our groups, values escaped', async () => {
  const run = await runActionFromSource({ inputs: { mode: 'verify', path: snapshots.changed } });
  assert.equal(run.code, 0, explain(run));
  const commands = assertOnlyOwnCommands(run);
  assert.deepEqual(
    commands.map((command) => command.command),
    ['group', 'endgroup'],
  );
  assertShownEscaped(run.stdout, 'log');
  assertSafeSummary(run.summary);
});

test('restore failing on SQLite quoting a hostile name raw: one annotation of ours, the name escaped', async () => {
  // The database path, in the group's title, holds an ESC as well: titles are escaped too.
  const database = join(tempDir('restore-'), 'app\u001b[2J.db');
  const run = await runActionFromSource({ inputs: { mode: 'restore', path: snapshots.failingLoad, database } });
  assert.equal(run.code, 1, explain(run));
  const commands = assertOnlyOwnCommands(run);
  const errors = commands.filter((command) => command.command === 'error');
  assert.equal(errors.length, 1, errors.map((error) => error.line).join('\n'));
  assert.equal(errors[0]!.properties.title, 'sqlite-snapshot restore failed');
  assert.match(errors[0]!.data, /already exists/);
  const group = commands.find((command) => command.command === 'group');
  assert.ok(group?.data.startsWith('Restoring into ') && group.data.endsWith('app\\u001b[2J.db'), group?.line);
  assertSafeSummary(run.summary);
});
