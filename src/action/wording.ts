/**
 * The core's messages are written for the command line and name its flags; in a workflow the
 * same advice must name the step's inputs instead (`force: true`, not `--force`).
 */
const FLAG_TO_INPUT: Record<string, string> = {
  force: 'force: true',
  'no-backup': 'backup: false',
  out: 'path',
  db: 'database',
  seed: 'seed',
  migrations: 'migrations',
  'migrate-command': 'migrate-command',
  'control-version': 'control-version',
  'db-migration-version': 'db-migration-version',
  'require-table': 'require-table',
  'check-sql': 'check-sql',
};

/** Rewrites known CLI flags as Action inputs; anything else (`git log --format=…`) is left alone. */
export const inActionWords = (text: string): string =>
  text.replace(/--([a-z][a-z-]*)(?![a-z=-])/g, (flag, name: string) => FLAG_TO_INPUT[name] ?? flag);
