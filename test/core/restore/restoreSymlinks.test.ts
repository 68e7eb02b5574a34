/**
 * docs/format.md §6 through the CLI: snapshot files are opened once, never through a symbolic link and
 * only if regular, so a link (to a secret, to a valid file, inside the directory, dangling, a loop,
 * to a FIFO or a device) or a FIFO in a file's place is refused at once: exit 2, one `error:` line
 * naming the file and a hint, nothing of what the link points at in the output, the populated
 * target byte-identical and nothing made beside it. A target that is a link is refused too, and
 * neither the link nor what it points at changes. (restoreRaces.test.ts has the core's side.)
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { runCli, sqlite3, tempDir } from '../../helpers.ts';
import { assertOneLineRefusal } from './refusalShape.ts';
import { populated, snapshotOf } from './restoreFixtures.ts';

const SECRET = 'root:SUPERSECRET-9f8e7d:0:0';
let snapshot = '';
let secretFile = '';
let fifo = '';

before(async () => {
  const source = join(tempDir('links-src-'), 'source.db');
  sqlite3(source, "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t VALUES (1, 'one');");
  snapshot = await snapshotOf(source);
  const outside = tempDir('links-outside-');
  secretFile = join(outside, 'secret.txt');
  execFileSync('sh', ['-c', `printf '%s\\n' '${SECRET}' > '${secretFile}'`]);
  fifo = join(outside, 'fifo');
  execFileSync('mkfifo', [fifo]);
});

/** How a snapshot file can be something other than a regular file of the directory. */
const KINDS: { name: string; make: (path: string, dir: string, file: string) => void; says: RegExp }[] = [
  { name: 'a link to a secret file', make: (path) => symlinkSync(secretFile, path), says: /symbolic link/ },
  {
    name: 'a link to the same, valid file of another snapshot',
    make: (path, _dir, file) => symlinkSync(join(snapshot, file), path),
    says: /symbolic link/,
  },
  {
    name: 'a link to a file inside the directory',
    make: (path, dir, file) => {
      copyFileSync(join(snapshot, file), join(dir, `real-${file}`));
      symlinkSync(`real-${file}`, path);
    },
    says: /symbolic link/,
  },
  { name: 'a dangling link', make: (path) => symlinkSync('/nonexistent/nothing', path), says: /symbolic link/ },
  { name: 'a link to itself', make: (path) => symlinkSync(path, path), says: /symbolic link/ },
  { name: 'a link to a FIFO', make: (path) => symlinkSync(fifo, path), says: /symbolic link/ },
  { name: 'a link to /dev/zero', make: (path) => symlinkSync('/dev/zero', path), says: /symbolic link/ },
  { name: 'a link to a directory', make: (path) => symlinkSync('/etc', path), says: /symbolic link/ },
  { name: 'a FIFO', make: (path) => execFileSync('mkfifo', [path]), says: /not a regular file/ },
  { name: 'a directory', make: (path) => mkdirSync(path), says: /not a regular file/ },
];

for (const file of ['manifest.json', 'snapshot.sql']) {
  test(`${file} that is not a regular file of the directory: refused at once in one line, nothing touched`, async () => {
    for (const kind of KINDS) {
      const dir = tempDir('links-snap-');
      for (const other of ['manifest.json', 'snapshot.sql'])
        if (other !== file) copyFileSync(join(snapshot, other), join(dir, other));
      kind.make(join(dir, file), dir, file);
      const { dir: targetDir, target, bytes } = await populated();
      const label = `${file} as ${kind.name}`;
      for (const args of [
        ['restore', dir, '--db', target, '--force'],
        ['verify', dir],
      ]) {
        const run = await runCli(args);
        assert.equal(run.code, 2, `${label}, ${args[0]}: exit ${run.code}\n${run.stderr}`);
        const refusal = assertOneLineRefusal(run.stderr, `${label}, ${args[0]}`);
        assert.ok(refusal.message.includes(join(dir, file)), `${label}: the file is named: ${refusal.message}`);
        assert.match(refusal.message, kind.says, label);
        assert.ok(!`${run.stdout}${run.stderr}`.includes('SUPERSECRET'), `${label}: the secret was shown`);
      }
      assert.ok(readFileSync(target).equals(bytes), `${label}: the target changed`);
      assert.deepEqual(readdirSync(targetDir), ['app.db'], `${label}: something was made beside the target`);
      assert.ok(lstatSync(join(dir, file)), `${label}: the link is still there`);
    }
  });
}

test('a restore target that is a link (to a populated DB, or dangling) is refused; neither the link nor its file changes', async () => {
  const { dir, target, bytes } = await populated();
  const link = join(dir, 'link.db');
  symlinkSync(target, link);
  const dangling = join(dir, 'dangling.db');
  const nowhere = join(dir, 'nowhere.db');
  symlinkSync(nowhere, dangling);
  for (const [path, flags] of [
    [link, ['--force']],
    [link, []],
    [dangling, ['--force']],
  ] as const) {
    const run = await runCli(['restore', snapshot, '--db', path, ...flags]);
    assert.equal(run.code, 1, `${path} ${flags.join(' ')}: exit ${run.code}\n${run.stderr}`);
    const refusal = assertOneLineRefusal(run.stderr, path);
    assert.match(refusal.message, new RegExp(`Restore target ${path} is a symbolic link`), refusal.message);
  }
  assert.ok(readFileSync(target).equals(bytes), 'the file behind the link changed');
  assert.ok(lstatSync(link).isSymbolicLink() && lstatSync(dangling).isSymbolicLink());
  assert.ok(!existsSync(nowhere), 'the dangling link was followed and a file made behind it');
  assert.deepEqual(readdirSync(dir).sort(), ['app.db', 'dangling.db', 'link.db']);
});
