/**
 * Push and pull through a local registry (docker-registry on 127.0.0.1), against curl doing the
 * same: a POST and one PUT of snapshot.sql to push, one GET of its blob to pull. Ours is the whole
 * command as users run it (verify before the push; size and digest checks, verify and rename after
 * the pull). Each run uses a repository of its own, so no blob is skipped as already there.
 * Median of `runs`; returns seconds and peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startRegistry } from '../test/core/oci/registryServer.ts';

export interface Timed {
  seconds: number;
  rssMb: number;
}

const TIME = '/usr/bin/time';

function timed(script: string): Timed {
  const result = spawnSync('sh', ['-c', `${TIME} -f '%e %M' sh -c '${script.replace(/'/g, `'\\''`)}' > /dev/null`], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`failed: ${script}\n${result.stderr}`);
  const [seconds, kb] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { seconds: seconds!, rssMb: kb! / 1024 };
}

const median = (samples: Timed[]): Timed =>
  [...samples].sort((a, b) => a.seconds - b.seconds)[Math.floor(samples.length / 2)]!;

export async function registryFigures(
  cli: string,
  snapshot: string,
  work: string,
  runs: number,
): Promise<{ push: Timed; curlPush: Timed; pull: Timed; curlPull: Timed }> {
  const registry = await startRegistry();
  const dump = join(snapshot, 'snapshot.sql');
  const digest = `sha256:${createHash('sha256').update(readFileSync(dump)).digest('hex')}`;
  const node = process.execPath;
  const base = `http://${registry.host}/v2`;
  try {
    const push: Timed[] = [];
    const curlPush: Timed[] = [];
    const pull: Timed[] = [];
    const curlPull: Timed[] = [];
    for (let run = 0; run < runs; run++) {
      curlPush.push(
        timed(
          `location=$(curl -sf -D - -o /dev/null -X POST ${base}/bench/curl${run}/blobs/uploads/ | tr -d '\\r' | sed -n 's/^[Ll]ocation: //p'); curl -sf -T ${dump} -H 'content-type: application/octet-stream' "$location&digest=${digest}"`,
        ),
      );
      push.push(timed(`${node} ${cli} push ${snapshot} ${registry.host}/bench/ours${run}`));
      const out = join(work, `pulled-${run}`);
      rmSync(out, { recursive: true, force: true });
      pull.push(timed(`${node} ${cli} pull ${registry.host}/bench/ours${run}:cm0-cs0-v0 --out ${out}`));
      rmSync(out, { recursive: true, force: true });
      curlPull.push(timed(`curl -sf -o ${join(work, 'curl.sql')} ${base}/bench/curl${run}/blobs/${digest}`));
      rmSync(join(work, 'curl.sql'), { force: true });
    }
    return { push: median(push), curlPush: median(curlPush), pull: median(pull), curlPull: median(curlPull) };
  } finally {
    await registry.stop();
  }
}
