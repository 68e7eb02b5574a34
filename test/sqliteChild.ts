/** Another process that holds a database open, or crashes mid-transaction: for lock and recovery tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, tempDir } from './helpers.ts';

const children: ChildProcess[] = [];
after(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Runs `sql` on `path` in another process, which then idles holding the DB open; resolves once the SQL has run. */
export async function startHolder(path: string, sql: string): Promise<ChildProcess> {
  const script = join(tempDir('sqlite-child-'), 'hold.mjs');
  const sqliteModule = pathToFileURL(join(REPO_ROOT, 'src/core/sqlite/sqlite.ts')).href;
  writeFileSync(
    script,
    `import { loadSqlite } from ${JSON.stringify(sqliteModule)};
const Database = await loadSqlite();
const db = new Database(process.argv[2]);
db.exec(process.argv[3]);
process.stdout.write('ready\\n');
setInterval(() => {}, 1 << 30);
`,
  );
  const child = spawn(process.execPath, [script, path, sql], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      if (String(chunk).includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`holder exited (${code}): ${stderr}`)));
  });
  return child;
}

/** What a kill -9 leaves behind: the child runs `sql` (leaving a transaction or WAL open) and dies. */
export async function crashAfter(path: string, sql: string): Promise<void> {
  const child = await startHolder(path, sql);
  child.kill('SIGKILL');
  await once(child, 'exit');
}
