/**
 * A diff as text for a terminal and as JSON, and the wording both share with the Markdown form.
 * Pure: the same diff always renders the same text. Every name, type, default and line of SQL
 * comes from a snapshot, so each goes into the text through `printable` (or `quoted`): a table
 * called "a\n::error::x" shows as one line, and no control character reaches the terminal.
 */

import { toJson } from '../shared/json.ts';
import { counted } from '../shared/plural.ts';
import { printable, printableLine, quoted } from '../shared/untrusted.ts';
import { diffLines } from './diffLines.ts';
import {
  type ColumnAttribute,
  type ColumnChange,
  type ColumnSchema,
  type DefinitionSchema,
  type FieldChange,
  hasDifferences,
  type IndexSchema,
  type ObjectChange,
  type RowCount,
  rowCountChanged,
  type SnapshotDiff,
  schemaChanged,
  type TableChange,
} from './diffTypes.ts';

type SchemaKind = 'table' | 'index' | 'view' | 'trigger';

export interface SchemaEntry {
  kind: SchemaKind;
  change: ObjectChange<{ name: string; sql: string }>;
  /** Short facts about the change, one per line (no SQL). */
  details: string[];
}

/** A manifest value as verify prints it: integers bare, strings quoted (so '' and spaces show). */
const formatValue = (value: string | bigint): string =>
  typeof value === 'bigint' ? value.toString() : quoted(value, 500);

/** A column as its declaration would read, without its name. */
function describeColumn(column: ColumnSchema): string {
  const parts = [column.type === '' ? '(no type)' : printable(column.type)];
  if (column.notNull) parts.push('NOT NULL');
  if (column.default !== null) parts.push(`DEFAULT ${printable(column.default)}`);
  if (column.primaryKey > 0)
    parts.push(column.primaryKey === 1 ? 'PRIMARY KEY' : `PRIMARY KEY (part ${column.primaryKey})`);
  if (column.generated) parts.push(`GENERATED ${column.generated.toUpperCase()}`);
  if (column.hidden) parts.push('HIDDEN');
  return parts.join(' ');
}

const ATTRIBUTE_WORDING: Record<ColumnAttribute, (column: ColumnSchema) => string> = {
  type: (column) => `type ${column.type === '' ? '(none)' : printable(column.type)}`,
  notNull: (column) => (column.notNull ? 'NOT NULL' : 'nullable'),
  default: (column) => `default ${column.default === null ? '(none)' : printable(column.default)}`,
  primaryKey: (column) => (column.primaryKey > 0 ? `primary key part ${column.primaryKey}` : 'not in the primary key'),
  generated: (column) => (column.generated ? `generated ${column.generated}` : 'not generated'),
  hidden: (column) => (column.hidden ? 'hidden' : 'not hidden'),
};

function describeColumnChange(column: ColumnChange): string {
  const name = printable(column.name);
  if (column.change === 'added') return `column ${name} added: ${describeColumn(column.new!)}`;
  if (column.change === 'removed') return `column ${name} removed (was ${describeColumn(column.old!)})`;
  const changes = column.attributes.map(
    (attribute) => `${ATTRIBUTE_WORDING[attribute](column.old!)} → ${ATTRIBUTE_WORDING[attribute](column.new!)}`,
  );
  return `column ${name} changed: ${changes.join(', ')}`;
}

function tableDetails(table: TableChange): string[] {
  if (table.change !== 'changed') {
    const columns = (table.new ?? table.old)!.columns.length;
    return [`${columns} column${columns === 1 ? '' : 's'}`];
  }
  if (table.columns.length > 0) return table.columns.map(describeColumnChange);
  return ['CREATE TABLE text changed (a constraint, WITHOUT ROWID, STRICT or formatting)'];
}

const indexShape = (index: IndexSchema): string =>
  `${index.unique ? 'unique ' : ''}on ${printable(index.table)} (${index.columns.map(printable).join(', ')})${index.partial ? ' WHERE …' : ''}`;

function indexDetails(index: ObjectChange<IndexSchema>): string[] {
  if (index.change !== 'changed') return [indexShape((index.new ?? index.old)!)];
  const [old, next] = [indexShape(index.old!), indexShape(index.new!)];
  return [old === next ? 'definition changed' : `${old} → ${next}`];
}

function definitionDetails(kind: 'view' | 'trigger', change: ObjectChange<DefinitionSchema>): string[] {
  if (change.change === 'changed') return ['definition changed'];
  return kind === 'trigger' ? [`on ${printable((change.new ?? change.old)!.table)}`] : [];
}

/** Every schema change, tables first, then indexes, views, triggers, each by name. */
export function schemaEntries(diff: SnapshotDiff): SchemaEntry[] {
  return [
    ...diff.tables.map((change) => ({ kind: 'table' as const, change, details: tableDetails(change) })),
    ...diff.indexes.map((change) => ({ kind: 'index' as const, change, details: indexDetails(change) })),
    ...diff.views.map((change) => ({ kind: 'view' as const, change, details: definitionDetails('view', change) })),
    ...diff.triggers.map((change) => ({
      kind: 'trigger' as const,
      change,
      details: definitionDetails('trigger', change),
    })),
  ];
}

/** One side of a row count: a dash where the table does not exist. */
export const countSide = (value: number | null): string => (value === null ? '—' : `${value}`);

export const rowDelta = (count: RowCount): string => {
  if (count.old === null) return 'table added';
  if (count.new === null) return 'table removed';
  const delta = count.new - count.old;
  return delta > 0 ? `+${delta}` : `${delta}`;
};

/** Row contents can differ with the same schema and counts; only the checksum then tells. */
export const contentOnlyChange = (diff: SnapshotDiff): boolean =>
  diff.manifest.some((field) => field.field === 'checksum') &&
  !schemaChanged(diff) &&
  !diff.rowCounts.some(rowCountChanged);

export const CONTENT_ONLY_NOTE =
  'The checksums differ while the schema and the row counts are the same: row values changed.';

export const NO_DIFFERENCES = 'No differences: the manifests, the schemas and the row counts are the same.';

const MARKS: Record<ObjectChange<unknown>['change'], string> = { added: '+', removed: '-', changed: '~' };

function manifestText(fields: FieldChange[]): string[] {
  if (fields.length === 0) return ['Manifest: unchanged'];
  const width = Math.max(...fields.map((field) => field.field.length));
  return [
    `Manifest: ${fields.length} field${fields.length === 1 ? '' : 's'} changed`,
    ...fields.map((field) => `  ${field.field.padEnd(width)}  ${formatValue(field.old)} → ${formatValue(field.new)}`),
  ];
}

function schemaText(diff: SnapshotDiff): string[] {
  if (!schemaChanged(diff)) return ['Schema: unchanged'];
  const entries = schemaEntries(diff);
  const changes = entries.length + (diff.userVersion ? 1 : 0);
  const lines = [`Schema: ${changes} change${changes === 1 ? '' : 's'}`];
  for (const { kind, change } of entries) {
    lines.push(`  ${MARKS[change.change]} ${kind} ${printable(change.name)}`);
    if (kind === 'table')
      lines.push(...(change as TableChange).columns.map((column) => `      ${describeColumnChange(column)}`));
    // Only the lines that differ: the header names the object, and added or removed ones show whole.
    const sql = diffLines(change.old?.sql ?? null, change.new?.sql ?? null).filter((line) => line.mark !== ' ');
    lines.push(...sql.map((line) => `      ${line.mark} ${printableLine(line.text)}`));
  }
  if (diff.userVersion) lines.push(`  ~ PRAGMA user_version ${diff.userVersion.old} → ${diff.userVersion.new}`);
  return lines;
}

function rowCountText(counts: RowCount[]): string[] {
  const changed = counts.filter(rowCountChanged);
  const tables = counted(counts.length, 'table');
  if (changed.length === 0) return [`Row counts: unchanged (${tables})`];
  const names = new Map(changed.map((count) => [count, printable(count.table)]));
  const width = Math.max(...[...names.values()].map((name) => name.length));
  return [
    `Row counts: ${changed.length} of ${tables} changed`,
    ...changed.map(
      (count) =>
        `  ${names.get(count)!.padEnd(width)}  ${countSide(count.old)} → ${countSide(count.new)} (${rowDelta(count)})`,
    ),
  ];
}

export function renderDiffText(diff: SnapshotDiff): string {
  if (!hasDifferences(diff)) return `${NO_DIFFERENCES}\n`;
  const lines = [...manifestText(diff.manifest), ...schemaText(diff), ...rowCountText(diff.rowCounts)];
  if (contentOnlyChange(diff)) lines.push(CONTENT_ONLY_NOTE);
  return `${lines.join('\n')}\n`;
}

/** The diff as JSON, with `identical` first; integers above 2^53 are written exactly. */
export function renderDiffJson(diff: SnapshotDiff): string {
  return toJson({ identical: !hasDifferences(diff), ...diff });
}
