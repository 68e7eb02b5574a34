/**
 * action.yml files from the spec: the root action (every input, `mode` chooses the verb) and one
 * action per verb in its own folder, as actions/cache has restore/ and save/. A verb's action runs
 * the same bundle through its own entry file, which fixes the verb.
 */
import { inputsOf, type Verb } from './actionInputs.ts';
import { outputsOf } from './actionOutputs.ts';

export const GENERATED_NOTE = 'Generated from src/spec by `npm run generate`: edit the spec, not this file.';

const VERB_SUMMARY: Record<Verb, string> = {
  build: 'Dump a SQLite database into a checksummed, versioned snapshot (canonical SQL dump + manifest) and upload it.',
  verify:
    "Check a snapshot's checksum, manifest and versions against what this code expects, optionally restoring and migrating it.",
  restore:
    'Verify a snapshot, then safely put it in place of a SQLite database: checked, migrated, atomically replaced.',
};

/** The entry file (in dist/) that runs a verb's action, or the root action's with `mode`. */
export const actionEntry = (verb: Verb | undefined): string => (verb ? `action-${verb}.js` : 'action.js');

/** A YAML scalar as action.yml writes it: plain for words and expressions, double-quoted otherwise. */
function scalar(value: string): string {
  if (/^[a-z][a-z-]*$/.test(value) && !['true', 'false', 'null', 'yes', 'no', 'on', 'off'].includes(value))
    return value;
  if (/^\$\{\{ [^"\\]* \}\}$/.test(value)) return value;
  return JSON.stringify(value);
}

export function renderAction(verb: Verb | undefined): string {
  const header = verb
    ? [`name: sqlite-snapshot ${verb}`, `description: ${scalar(VERB_SUMMARY[verb])}`]
    : [
        'name: sqlite-snapshot',
        'description: Build, verify and restore checksummed, versioned snapshots (canonical SQL dump + manifest) of a SQLite database.',
      ];
  const lines = [
    `# ${GENERATED_NOTE}`,
    ...header,
    'author: sqlite-snapshot',
    'branding:',
    '  icon: database',
    '  color: blue',
    '',
    'inputs:',
  ];
  for (const { name, description, spec } of inputsOf(verb)) {
    const required = verb === 'restore' && spec.name === 'database';
    lines.push(`  ${name}:`, `    description: ${scalar(description)}`, `    required: ${required}`);
    if (!required) lines.push(`    default: ${scalar(spec.default ?? '')}`);
  }
  lines.push('', 'outputs:');
  for (const { name, description } of outputsOf(verb))
    lines.push(`  ${name}:`, `    description: ${scalar(description)}`);
  lines.push('', 'runs:', '  using: node24', `  main: ${verb ? '../' : ''}dist/${actionEntry(verb)}`, '');
  return lines.join('\n');
}
