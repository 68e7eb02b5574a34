/**
 * Which other processes hold a file open: Linux reads /proc, macOS and other Unixes ask lsof, and
 * Windows needs no list because the rename itself fails there while any process holds the file.
 *
 * The replace's primary safety is SQLite's own lock (targetLock.ts): a connection that is reading or
 * writing, and any connection at all to a WAL database, stops it. This check adds the one case the
 * lock cannot see: an idle connection to a rollback-journal database, which holds no lock but would
 * go on reading and writing the old, unlinked file after the rename, its writes silently lost.
 * Where that cannot be told (lsof missing, slow or failing), the replace goes ahead on the lock alone.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, type Stats, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { osFamily } from '../shared/platform.ts';

export type OpenHolders =
  /** Every other process found holding the file open, as `pid (command)`; empty when none. */
  | { known: true; holders: string[] }
  /** No way to tell here; the replace then relies on the SQLite lock alone. */
  | { known: false; why: string };

export interface HolderLookup {
  /** Whose way to look (default: this OS's). */
  platform?: NodeJS.Platform;
  /** The environment whose PATH finds lsof (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** How long lsof may take before the answer is "cannot tell". */
  timeoutMs?: number;
}

const WINDOWS_HOLDERS =
  'Windows has no /proc and no lsof; there the rename fails while another process holds the file open';

/** Other processes holding `path` (whose stats are `file`) open, or why that cannot be told. */
export async function findOpenHolders(path: string, file: Stats, lookup: HolderLookup = {}): Promise<OpenHolders> {
  switch (osFamily(lookup.platform)) {
    case 'windows':
      return { known: false, why: WINDOWS_HOLDERS };
    case 'linux':
      // A /proc that cannot be listed (a sandbox without it): lsof may still be there.
      return procHolders(file) ?? (await lsofHolders(path, lookup.env, lookup.timeoutMs));
    default:
      return await lsofHolders(path, lookup.env, lookup.timeoutMs);
  }
}

/**
 * From /proc/<pid>/fd, comparing device and inode (a path may have been renamed); undefined when
 * /proc cannot be listed. Other users' processes cannot be read, as with lsof run by a non-root user.
 */
function procHolders(file: Stats): OpenHolders | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const holders: string[] = [];
  for (const pid of entries) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // EACCES: another user's process; ENOENT: it just exited
    }
    const holds = fds.some((fd) => {
      try {
        const link = `/proc/${pid}/fd/${fd}`;
        if (!readlinkSync(link).startsWith('/')) return false; // sockets, pipes, anonymous inodes
        const target = statSync(link);
        return target.ino === file.ino && target.dev === file.dev;
      } catch {
        return false;
      }
    });
    if (holds) holders.push(`${pid} (${readComm(pid)})`);
  }
  return { known: true, holders };
}

function readComm(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

/** lsof scans every process; on a busy Mac that takes well under a second. */
const LSOF_TIMEOUT_MS = 5000;
/** A pid and a command name per holder: more than this is not a list anyone reads to the end. */
const OUTPUT_LIMIT = 1 << 20;

/**
 * Asks lsof, which is part of macOS; elsewhere it may be missing, slow or refused, and each of those
 * is "cannot tell", never "nobody".
 *
 * `lsof -w -F pc -- <file>`: lsof matches the file by device and inode, `-F pc` prints a `p<pid>`
 * line and a `c<command>` line per process, `-w` keeps warnings about other mounts quiet. It exits
 * 1 both when nobody holds the file and when it fails; only the silent exit 1 means nobody.
 */
async function lsofHolders(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = LSOF_TIMEOUT_MS,
): Promise<OpenHolders> {
  const child = spawn('lsof', ['-w', '-F', 'pc', '--', resolve(path)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    if (stdout.length < OUTPUT_LIMIT) stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < OUTPUT_LIMIT) stderr += chunk.toString('utf8');
  });
  return await new Promise((done) => {
    const finish = (result: OpenHolders): void => {
      clearTimeout(timer);
      done(result);
    };
    const timer = setTimeout(() => {
      // Not waiting for its pipes to close: a helper lsof forked may hold them a while longer.
      child.kill('SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
      finish({ known: false, why: `lsof gave no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) =>
      finish({
        known: false,
        why: error.code === 'ENOENT' ? 'lsof was not found on PATH' : `lsof could not run: ${error.message}`,
      }),
    );
    child.once('close', (code, signal) => {
      if (code === 0) finish({ known: true, holders: parseLsof(stdout) });
      else if (code === 1 && stdout.trim() === '' && stderr.trim() === '') finish({ known: true, holders: [] });
      else {
        const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
        const said = stderr.trim().split('\n')[0] ?? '';
        finish({ known: false, why: `lsof ${how}${said ? `: ${said}` : ''}` });
      }
    });
  });
}

/** `pid (command)` for every process in lsof's field output but this one. */
function parseLsof(output: string): string[] {
  const holders = new Map<string, string>();
  let pid: string | undefined;
  for (const line of output.split('\n')) {
    const field = line[0];
    const value = line.slice(1).trim();
    if (field === 'p') {
      pid = /^\d+$/.test(value) && Number(value) !== process.pid ? value : undefined;
      if (pid && !holders.has(pid)) holders.set(pid, '?');
    } else if (field === 'c' && pid && value) holders.set(pid, value);
  }
  return [...holders].map(([id, command]) => `${id} (${command})`);
}
