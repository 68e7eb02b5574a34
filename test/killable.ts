/** A real CLI process that a crash test may SIGKILL: after a delay, or the moment a condition holds. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export interface KillableRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stderr: string;
}

/** When to kill: after this many ms, or once `when()` holds (polled every millisecond or so). */
export type KillAt = number | { when: () => boolean };

/** Runs `node <args>` (this Node) to its end, SIGKILLing it at `kill` if given. */
export async function runKillable(args: string[], kill?: KillAt): Promise<KillableRun> {
  const started = Date.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const timer =
    kill === undefined
      ? undefined
      : typeof kill === 'number'
        ? setTimeout(() => child.kill('SIGKILL'), kill)
        : setInterval(() => {
            if (kill.when()) child.kill('SIGKILL');
          }, 1);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  clearInterval(timer);
  return { code, signal, ms: Date.now() - started, stderr };
}
