/**
 * How the core's advice names options in a workflow: `force: true` where the command line says
 * `--force` (see core/options.ts).
 */
import { type OptionName, spellOptions } from '../core/shared/options.ts';

const INPUT_SPELLING: Record<OptionName, string> = {
  force: 'force: true',
  'no-backup': 'backup: false',
  out: 'path',
  db: 'database',
  seed: 'seed',
  migrations: 'migrations',
  'allow-empty': 'allow-empty: true',
};

export const inActionWords = (text: string): string => spellOptions(text, (name) => INPUT_SPELLING[name]);
