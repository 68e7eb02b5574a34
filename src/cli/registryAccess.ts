/** The registry flags every command shares (--plain-http, --username, --password-stdin) as core options. */
import type { RegistryAccess } from '../core/oci/source.ts';
import { usageError } from '../core/shared/errors.ts';
import { type Parsed, stringValue } from './args.ts';
import type { CliIo } from './output.ts';

export async function registryAccess(parsed: Parsed, io: CliIo): Promise<RegistryAccess> {
  const username = stringValue(parsed, 'username');
  let password: string | undefined;
  if (parsed.values['password-stdin']) {
    if (!io.readStdin) throw usageError('--password-stdin needs standard input.');
    // One line, as docker login --password-stdin reads it: the trailing newline is not the secret's.
    password = (await io.readStdin()).replace(/\r?\n$/, '');
    if (password === '')
      throw usageError(
        '--password-stdin read nothing from standard input.',
        'Pipe the password or token in: echo "$TOKEN" | sqlite-snapshot …',
      );
  }
  return {
    plainHttp: parsed.values['plain-http'] === true,
    given: username || password ? { username, password, source: '--username/--password-stdin' } : undefined,
    env: io.env,
  };
}
