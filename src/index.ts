/**
 * The bundle behind both faces (dist/index.js). Loading it runs nothing: dist/action.js runs the
 * GitHub Action and dist/cli.js the `sqlite-snapshot` command, each by importing it, so the two
 * share one copy of the code and of the prebuilt SQLite bindings. Worker threads load this same
 * file and take their role from workerData.
 */
export { run as runAction } from './action/run.ts';
export { main as runCli } from './cli/main.ts';
export { processIo } from './cli/output.ts';
