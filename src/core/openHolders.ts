/** Which other processes hold a file open (Linux /proc; elsewhere none are found). */
import { readdirSync, readFileSync, readlinkSync, type Stats, statSync } from 'node:fs';

/**
 * Other processes holding the file open, from /proc/<pid>/fd (Linux; elsewhere none are found).
 * It catches idle connections, which hold no SQLite lock and so pass the lock test below.
 */
export function findOpenHolders(file: Stats): string[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
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
  return holders;
}

function readComm(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}
