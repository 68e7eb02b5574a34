/** Progress reporting shared by the faces: how a dump's progress reads, and how often it is shown. */
import type { DumpProgress } from '../build/dump.ts';
import type { LoadProgress } from '../load/loadDump.ts';
import { quoted } from '../shared/untrusted.ts';

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

/** `3 s`, `2 min 05 s`, `1 h 02 min`: a duration as a person reads it. */
export function humanDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * Describes a load's progress with its share of the dump and, from the second line on, the time
 * left at the pace seen since the first line (the pace before it includes verifying the dump).
 */
export function loadProgressDescriber(now: () => number = Date.now): (progress: LoadProgress) => string {
  let first: { at: number; bytes: number } | undefined;
  return (progress) => {
    const at = now();
    const share = progress.totalBytes > 0 ? progress.bytes / progress.totalBytes : 1;
    const percent = `${Math.min(100, Math.floor(share * 100))}%`;
    const sizes = `${(progress.bytes / 1e6).toFixed(1)} of ${(progress.totalBytes / 1e6).toFixed(1)} MB`;
    let left = '';
    if (first === undefined) first = { at, bytes: progress.bytes };
    else if (progress.bytes > first.bytes && at > first.at) {
      const pace = (progress.bytes - first.bytes) / (at - first.at);
      left = `, about ${humanDuration((progress.totalBytes - progress.bytes) / pace / 1000)} left`;
    }
    return `restoring: ${percent} (${sizes} of the dump, ${progress.rows} rows)${left}`;
  };
}
