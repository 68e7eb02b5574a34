/**
 * Inputs a step passed that this action does not have. The runner warns about them too, but
 * without a guess; a misspelt input silently falls back to its default, so say what was meant:
 * the nearest input, or the name this action gives an input the step named as another action does
 * (`control-model-version` in the verify action is `expect-control-model-version`).
 */
import { nearest } from '../core/shared/nearest.ts';
import { ACTION_INPUTS, inputAliases, inputsOf, type Verb, verbInputName } from '../spec/actionInputs.ts';
import { inputVariable } from './inputs.ts';

/** The input names of an action: the root one (`verb` undefined) or a verb's own. */
export const actionInputNames = (verb: Verb | undefined): string[] => inputsOf(verb).map(({ name }) => name);

/** What this action calls the input that `typed` names in the root action or another verb's. */
function translated(typed: string, verb: Verb | undefined): string | undefined {
  for (const spec of ACTION_INPUTS) {
    if (!inputAliases(spec).includes(typed)) continue;
    const own = verb === undefined ? spec.name : verbInputName(spec, verb);
    if (own !== undefined && own !== typed) return own;
  }
  return undefined;
}

/** One warning line per INPUT_* variable that is no input of this action, with the nearest input. */
export function unknownInputWarnings(env: NodeJS.ProcessEnv, verb?: Verb): string[] {
  const names = actionInputNames(verb);
  const known = new Set(names.map(inputVariable));
  const action = verb === undefined ? 'sqlite-snapshot' : `sqlite-snapshot/${verb}`;
  return Object.keys(env)
    .filter((variable) => variable.startsWith('INPUT_') && !known.has(variable))
    .sort()
    .map((variable) => {
      // The runner upper-cases the name; lower case is how it was most likely written.
      const typed = variable.slice('INPUT_'.length).toLowerCase();
      const guess = translated(typed, verb) ?? nearest(typed, names);
      return `Input "${typed}" is not an input of ${action} and was ignored${guess ? `; did you mean "${guess}"?` : '.'}`;
    });
}
