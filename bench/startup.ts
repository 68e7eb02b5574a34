/**
 * Start-up of the Action: milliseconds from spawning `node dist/action.js` (copied with action.yml
 * into a folder with no node_modules, as a runner checks it out) to its first line on stdout. The
 * anchor is Node printing one line, the floor any JavaScript action pays.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Milliseconds until the child's first stdout line; the child is then left to finish. */
function firstLineMs(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let seen = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (seen || !chunk.includes(10)) return;
      seen = true;
      resolvePromise(Number(process.hrtime.bigint() - started) / 1e6);
    });
    child.on('error', reject);
    child.on('close', () => {
      if (!seen) reject(new Error(`${args.join(' ')} printed no line`));
    });
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** `dist`: the bundle to measure (default: the repository's dist/). */
export async function measureStartup(
  root: string,
  runs: number,
  dist = join(root, 'dist'),
): Promise<{ ours: number; anchor: number }> {
  const action = mkdtempSync(join(tmpdir(), 'startup-'));
  try {
    cpSync(dist, join(action, 'dist'), { recursive: true });
    cpSync(join(root, 'action.yml'), join(action, 'action.yml'));
    // A verify of a missing directory: the step's first line comes before any of its work.
    const env = { PATH: process.env.PATH, INPUT_MODE: 'verify', INPUT_PATH: join(action, 'none'), RUNNER_TEMP: action };
    const ours: number[] = [];
    const anchor: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      ours.push(await firstLineMs([join(action, 'dist/action.js')], env));
      anchor.push(await firstLineMs(['-e', 'console.log("ready")'], env));
    }
    return { ours: median(ours), anchor: median(anchor) };
  } finally {
    rmSync(action, { recursive: true, force: true });
  }
}
