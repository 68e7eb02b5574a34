/**
 * The Action run from source, as the tests do (the bundled entries are dist/action.js and
 * dist/action-<verb>.js): a verb as the first argument runs that verb's own action.
 */
import { VERBS } from '../spec/actionInputs.ts';
import { run } from './run.ts';

await run(
  process.env,
  VERBS.find((verb) => verb === process.argv[2]),
);
