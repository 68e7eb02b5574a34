/**
 * Every file, or region of a file, generated from the spec (action.yml files, the reusable
 * workflow, the tables of docs/action.md and docs/cli.md): what `npm run generate` writes and what
 * test/spec/generated.test.ts checks is up to date. Each is passed through the repository's
 * formatter (biome) after rendering, so the check compares what would be committed.
 */
import { VERBS } from './actionInputs.ts';
import { COMMANDS, renderFlagTable } from './cliFlags.ts';
import { renderAction } from './renderAction.ts';
import { renderActionDocs, renderWorkflow, replaceRegion } from './renderRegions.ts';

export interface GeneratedFile {
  path: string;
  /** The new text, from the current one (regions keep what surrounds them). */
  render: (current: string) => string;
}

export const GENERATED_FILES: readonly GeneratedFile[] = [
  { path: 'action.yml', render: () => renderAction(undefined) },
  ...VERBS.map((verb) => ({ path: `${verb}/action.yml`, render: () => renderAction(verb) })),
  { path: '.github/workflows/sqlite-snapshot.yml', render: renderWorkflow },
  { path: 'docs/action.md', render: renderActionDocs },
  {
    path: 'docs/cli.md',
    render: (text) =>
      COMMANDS.reduce(
        (out, command) => replaceRegion(out, `${command}-flags`, `\n${renderFlagTable(command)}\n`),
        text,
      ),
  },
];
