/**
 * A diff as Markdown for a GitHub job summary or a pull-request comment: a section with one table
 * per part (manifest, schema, row counts) and the changed SQL folded away under <details>. Pure.
 */

import { cellProse, cellText, fenced, inlineCode } from '../shared/markdown.ts';
import { diffLines } from './diffLines.ts';
import {
  CONTENT_ONLY_NOTE,
  contentOnlyChange,
  countSide,
  NO_DIFFERENCES,
  rowDelta,
  type SchemaEntry,
  schemaEntries,
} from './diffRender.ts';
import { hasDifferences, rowCountChanged, type SnapshotDiff, schemaChanged } from './diffTypes.ts';

/** Manifest values as code: strings without their JSON quotes, as the job summary shows them. */
const manifestValue = (value: string | bigint): string => cellText(`${value}`);

function manifestSection(diff: SnapshotDiff): string[] {
  if (diff.manifest.length === 0) return ['**Manifest:** unchanged.', ''];
  return [
    '#### Manifest',
    '',
    '| field | old | new |',
    '| --- | --- | --- |',
    ...diff.manifest.map((field) => `| ${field.field} | ${manifestValue(field.old)} | ${manifestValue(field.new)} |`),
    '',
  ];
}

/** Each changed object's SQL as a diff, unchanged lines included, folded away: the table says what changed. */
function sqlDetails(entries: SchemaEntry[]): string[] {
  if (entries.length === 0) return [];
  const blocks = entries.flatMap(({ kind, change }) => [
    // inlineCode shows a line break in the name escaped: a blank line would end the paragraph.
    `${kind} ${inlineCode(change.name)}:`,
    '',
    ...fenced(
      'diff',
      diffLines(change.old?.sql ?? null, change.new?.sql ?? null).map((line) => `${line.mark} ${line.text}`),
    ),
    '',
  ]);
  return ['<details><summary>SQL of the changed objects</summary>', '', ...blocks, '</details>', ''];
}

function schemaSection(diff: SnapshotDiff): string[] {
  if (!schemaChanged(diff)) return ['**Schema:** unchanged.', ''];
  const entries = schemaEntries(diff);
  const rows = entries.map(
    ({ kind, change, details }) =>
      `| ${kind} | ${cellText(change.name)} | ${change.change} | ${details.map(cellProse).join('<br>')} |`,
  );
  if (diff.userVersion) {
    rows.push(`| pragma | user_version | changed | ${diff.userVersion.old} → ${diff.userVersion.new} |`);
  }
  return [
    '#### Schema',
    '',
    '| object | name | change | details |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    ...sqlDetails(entries),
  ];
}

function rowCountSection(diff: SnapshotDiff): string[] {
  const changed = diff.rowCounts.filter(rowCountChanged);
  const total = diff.rowCounts.length;
  if (changed.length === 0) return [`**Row counts:** unchanged (${total} table${total === 1 ? '' : 's'}).`, ''];
  const others = total - changed.length;
  return [
    '#### Row counts',
    '',
    '| table | old | new | change |',
    '| --- | ---: | ---: | ---: |',
    ...changed.map(
      (count) =>
        `| ${cellText(count.table)} | ${countSide(count.old)} | ${countSide(count.new)} | ${rowDelta(count)} |`,
    ),
    '',
    ...(others === 0
      ? []
      : [
          others === 1
            ? 'The other table has the same row count.'
            : `The other ${others} tables have the same row counts.`,
          '',
        ]),
  ];
}

/** `title`: the section's heading; the default suits a PR check against the default branch's snapshot. */
export function renderDiffMarkdown(diff: SnapshotDiff, title = 'Changes since the baseline'): string {
  const lines = [`### ${title}`, ''];
  if (!hasDifferences(diff)) {
    lines.push(NO_DIFFERENCES);
    return `${lines.join('\n')}\n`;
  }
  lines.push(...manifestSection(diff), ...schemaSection(diff), ...rowCountSection(diff));
  if (contentOnlyChange(diff)) lines.push(CONTENT_ONLY_NOTE, '');
  return `${lines.join('\n').trimEnd()}\n`;
}
