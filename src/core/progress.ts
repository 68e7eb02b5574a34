/** Progress reporting shared by the faces: how a dump's progress reads, and how often it is shown. */
import type { DumpProgress } from './dump.ts';
import type { LoadProgress } from './loadDump.ts';
import { quoted } from './untrusted.ts';

/** Calls `report` at most once every `intervalMs`, so short work stays quiet and long work visible. */
export function throttled<T>(intervalMs: number, report: (value: T) => void): (value: T) => void {
  let last = Date.now();
  return (value) => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    report(value);
  };
}

export const describeDumpProgress = (progress: DumpProgress): string =>
  `dumping ${quoted(progress.table)}: ${progress.rows} rows, ${(progress.bytes / 1e6).toFixed(1)} MB written`;

export const describeLoadProgress = (progress: LoadProgress): string =>
  `restoring: ${progress.rows} rows, ${(progress.bytes / 1e6).toFixed(1)} MB of the dump read`;
