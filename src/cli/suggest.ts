/**
 * "Did you mean …" on the command line: the nearest flag to what was typed, and the flag that
 * means what an Action input of the same name means, so a habit from workflows costs one glance.
 */
import { nearest } from '../core/shared/nearest.ts';
import { ACTION_INPUTS, inputAliases, VERBS, type Verb } from '../spec/actionInputs.ts';

const isVerb = (command: string): command is Verb => (VERBS as readonly string[]).includes(command);

/**
 * What `command` calls the option an Action input named `name` sets, in any action (the root one
 * or a verb's own): `--expect-control-model-version` for `control-model-version` in verify, `--db`
 * for `database`, the directory argument for `path`. Undefined when the name is the flag already,
 * or the command has nothing for it.
 */
function flagForActionInput(command: string, name: string, known: readonly string[]): string | undefined {
  if (!isVerb(command)) return undefined;
  for (const spec of ACTION_INPUTS) {
    const use = spec.verbs[command];
    if (use === undefined) continue;
    if (!inputAliases(spec).includes(name)) continue;
    const flag = use.flag ?? `--${use.name ?? spec.name}`;
    if (flag === `--${name}`) return undefined;
    // A flag this command does not have (the artifact inputs) is no answer; a description is.
    const flagName = /^--([\w-]+)/.exec(flag)?.[1];
    if (flagName !== undefined && !known.includes(flagName)) continue;
    return flag;
  }
  return undefined;
}

/** What to suggest for an unknown flag `--name` of `command`, whose own flags are `known`. */
export function suggestFlag(command: string, name: string, known: readonly string[]): string | undefined {
  const translated = flagForActionInput(command, name, known);
  if (translated) return translated;
  // An expectation typed without its prefix: --min-control-version for --expect-min-control-version.
  if (known.includes(`expect-${name}`)) return `--expect-${name}`;
  const match = nearest(name, known);
  return match === undefined ? undefined : `--${match}`;
}
