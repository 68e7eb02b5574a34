/**
 * The job summary, as Markdown, from a mode's outcome. Pure: the same outcome always renders the
 * same text, so it is tested against golden files and written by the caller.
 */
import { MANIFEST_FIELDS } from '../core/format/manifest.ts';
import type { Check } from '../core/shared/check.ts';
import { cellProse as cell, cellText, inlineCode as code, fenced } from '../core/shared/markdown.ts';
import { counted } from '../core/shared/plural.ts';
import type { ShapedManifest } from '../core/verify/verifyFields.ts';
import { inActionWords } from './wording.ts';

export interface ArtifactFacts {
  name: string;
  id?: number;
  digest?: string;
  /** Where it came from when downloaded: "this run" or "run 123 of owner/repo". */
  origin?: string;
}

/** What a verify compared with: the diff's Markdown, or why there was nothing to compare. */
export interface BaselineSection {
  branch: string;
  key?: string;
  markdown?: string;
  note?: string;
}

export type SummaryOutcome =
  | {
      mode: 'build';
      manifest: ShapedManifest;
      dumpPath: string;
      dumpBytes: number;
      tables: number;
      rows: number;
      artifact?: ArtifactFacts;
    }
  | {
      mode: 'verify';
      ok: boolean;
      manifest: ShapedManifest;
      checks: Check[];
      dumpPath: string;
      artifact?: ArtifactFacts;
      baseline?: BaselineSection;
    }
  | {
      mode: 'restore';
      manifest: ShapedManifest;
      target: string;
      rows: number;
      backupPath?: string;
      artifact?: ArtifactFacts;
    }
  | {
      /** Absent when the inputs could not be read. */
      mode?: 'build' | 'verify' | 'restore';
      /** The step stopped on an error before it had a result. */
      error: { message: string; hint?: string };
      checks?: Check[];
      artifact?: ArtifactFacts;
    };

/** One line of text shown literally in a paragraph. */
const prose = (text: string): string => cell(text.replace(/\r?\n/g, ' '));

const fieldValue = (value: unknown): string =>
  value === undefined ? '—' : cellText(typeof value === 'string' ? value : String(value));

function manifestTable(manifest: ShapedManifest): string[] {
  const rows = MANIFEST_FIELDS.map((field) => `| ${field} | ${fieldValue(manifest[field])} |`);
  return ['| manifest field | value |', '| --- | --- |', ...rows];
}

function artifactLine(artifact: ArtifactFacts | undefined): string[] {
  if (!artifact) return [];
  const parts = [`Artifact ${code(artifact.name)}`];
  if (artifact.id !== undefined) parts.push(`id ${artifact.id}`);
  if (artifact.digest) parts.push(`digest ${code(artifact.digest)}`);
  if (artifact.origin) parts.push(`from ${artifact.origin}`);
  return [`${parts.join(', ')}.`, ''];
}

function failedChecksTable(checks: Check[]): string[] {
  const failed = checks.filter((check) => !check.ok);
  if (failed.length === 0) return [];
  const rows = failed.map(
    (check) =>
      `| ${cellText(check.name)} | ${cell(check.expected)} | ${cell(check.actual)} | ${cell(check.hint ? inActionWords(check.hint) : '')} |`,
  );
  return ['| check | expected | actual | fix |', '| --- | --- | --- | --- |', ...rows, ''];
}

function allChecks(checks: Check[]): string[] {
  if (checks.length === 0) return [];
  const rows = checks.map(
    (check) => `| ${check.ok ? 'ok' : '**FAIL**'} | ${cellText(check.name)} | ${cell(check.actual)} |`,
  );
  return [
    `<details><summary>Every check (${checks.length})</summary>`,
    '',
    '| result | check | value |',
    '| --- | --- | --- |',
    ...rows,
    '',
    '</details>',
    '',
  ];
}

function baselineLines(baseline: BaselineSection | undefined): string[] {
  if (!baseline) return [];
  if (baseline.markdown) {
    return [baseline.markdown.trimEnd(), '', `Compared with the baseline ${code(baseline.key ?? '')}.`, ''];
  }
  return [
    `> **No baseline to compare with:** ${baseline.note ? prose(baseline.note) : `none of branch ${code(baseline.branch)} was found.`}`,
    '',
  ];
}

export function renderSummary(outcome: SummaryOutcome): string {
  const lines: string[] = [];
  if ('error' in outcome) {
    lines.push(`## ❌ sqlite-snapshot ${outcome.mode ? `${outcome.mode} ` : ''}failed`, '');
    // With checks, the table below says what failed; the message's own list would repeat it.
    const [first = '', ...rest] = outcome.error.message.split(/\r?\n/);
    lines.push(prose(outcome.checks ? first.replace(/:$/, '.') : first), '');
    // The rest is often a command's output: shown as it is, where Markdown cannot reinterpret it.
    if (!outcome.checks && rest.some((line) => line.trim() !== '')) lines.push(...fenced('text', rest), '');
    // The hint comes as it is from the core; the summary is where it becomes workflow words.
    if (outcome.error.hint) lines.push(`**Fix:** ${prose(inActionWords(outcome.error.hint))}`, '');
    lines.push(...artifactLine(outcome.artifact));
    if (outcome.checks) lines.push(...failedChecksTable(outcome.checks), ...allChecks(outcome.checks));
    return `${lines.join('\n').trimEnd()}\n`;
  }
  switch (outcome.mode) {
    case 'build':
      lines.push('## ✅ sqlite-snapshot built a snapshot', '');
      lines.push(
        `${code(outcome.dumpPath)}: ${counted(outcome.dumpBytes, 'byte')}, ${counted(outcome.tables, 'table')}, ${counted(outcome.rows, 'row')}.`,
        '',
      );
      break;
    case 'verify':
      if (!outcome.ok) {
        const failed = outcome.checks.filter((check) => !check.ok).length;
        lines.push('## ❌ sqlite-snapshot verify failed', '');
        lines.push(`${code(outcome.dumpPath)} failed ${failed} of ${outcome.checks.length} checks.`, '');
        lines.push(...artifactLine(outcome.artifact), ...failedChecksTable(outcome.checks));
        lines.push(...manifestTable(outcome.manifest), '', ...allChecks(outcome.checks));
        return `${lines.join('\n').trimEnd()}\n`;
      }
      lines.push('## ✅ sqlite-snapshot verified the snapshot', '');
      lines.push(`${code(outcome.dumpPath)} passed all ${outcome.checks.length} checks.`, '');
      break;
    case 'restore':
      lines.push('## ✅ sqlite-snapshot restored the snapshot', '');
      lines.push(`${code(outcome.target)} now holds the snapshot (${counted(outcome.rows, 'row')}).`, '');
      if (outcome.backupPath) lines.push(`The previous database is kept as ${code(outcome.backupPath)}.`, '');
      break;
  }
  lines.push(...artifactLine(outcome.artifact), ...manifestTable(outcome.manifest), '');
  if (outcome.mode === 'verify') lines.push(...allChecks(outcome.checks), ...baselineLines(outcome.baseline));
  return `${lines.join('\n').trimEnd()}\n`;
}
