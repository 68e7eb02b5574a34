/**
 * Inputs a step passed that this action does not have. The runner warns about them too, but
 * without a guess; a misspelt input silently falls back to its default, so say what was meant.
 */
import { nearest } from '../core/shared/nearest.ts';

/** Every input of action.yml, in its order (a test keeps the two equal). */
export const ACTION_INPUTS = [
  'mode',
  'database',
  'migrations',
  'migrate-command',
  'seed',
  'allow-empty',
  'control-model-version',
  'cache-schema-version',
  'control-version',
  'control-version-query',
  'db-migration-version',
  'db-migration-version-query',
  'source-version',
  'path',
  'artifact-name',
  'upload',
  'overwrite',
  'name-with-checksum',
  'retention-days',
  'run-id',
  'repository',
  'github-token',
  'save-baseline',
  'compare-baseline',
  'baseline-branch',
  'force',
  'backup',
  'require-table',
  'check-sql',
  'integrity',
] as const;

/** The runner's INPUT_<NAME> variable name for an input (upper-cased, spaces as _). */
const variableOf = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

/** One warning line per INPUT_* variable that is no input of this action, with the nearest input. */
export function unknownInputWarnings(env: NodeJS.ProcessEnv): string[] {
  const known = new Set(ACTION_INPUTS.map(variableOf));
  return Object.keys(env)
    .filter((variable) => variable.startsWith('INPUT_') && !known.has(variable))
    .sort()
    .map((variable) => {
      // The runner upper-cases the name; lower case is how it was most likely written.
      const typed = variable.slice('INPUT_'.length).toLowerCase();
      const guess = nearest(typed, ACTION_INPUTS);
      return `Input "${typed}" is not an input of sqlite-snapshot and was ignored${guess ? `; did you mean "${guess}"?` : '.'}`;
    });
}
