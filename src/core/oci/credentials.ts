/**
 * Registry credentials, from where users keep them, first found wins: given explicitly (the CLI's
 * --username with --password-stdin, the Action's inputs), SQLITE_SNAPSHOT_REGISTRY_USERNAME and
 * _PASSWORD, then the Docker config's `auths` entry for the registry ($DOCKER_CONFIG/config.json,
 * else ~/.docker/config.json). None means anonymous. `source` says which, for messages; the secret
 * itself is never shown.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { usageError } from '../shared/errors.ts';

export interface Credentials {
  username: string;
  password: string;
  /** Where they came from, as messages name it. */
  source: string;
}

/** The Docker config's `auths` keys a registry may be stored under. */
const dockerKeys = (registry: string): string[] =>
  registry === 'docker.io' || registry === 'registry-1.docker.io'
    ? ['https://index.docker.io/v1/', 'docker.io', 'registry-1.docker.io']
    : [registry, `https://${registry}`, `http://${registry}`];

function fromDockerConfig(registry: string, env: NodeJS.ProcessEnv): Credentials | undefined {
  const dir = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
  const path = join(dir, 'config.json');
  let config: { auths?: Record<string, { auth?: string; username?: string; password?: string }> };
  try {
    config = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  for (const key of dockerKeys(registry)) {
    const entry = config.auths?.[key];
    if (!entry) continue;
    if (entry.username && entry.password) return { username: entry.username, password: entry.password, source: path };
    if (!entry.auth) continue;
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source: path };
  }
  return undefined;
}

export function findCredentials(
  registry: string,
  env: NodeJS.ProcessEnv,
  given?: { username?: string; password?: string; source: string },
): Credentials | undefined {
  if (given?.username || given?.password) {
    if (!given.username || !given.password) {
      throw usageError(
        `A registry user needs a password, and a password a user (${given.source}).`,
        'Give both: --username and the password on standard input with --password-stdin.',
      );
    }
    return { username: given.username, password: given.password, source: given.source };
  }
  const user = env.SQLITE_SNAPSHOT_REGISTRY_USERNAME;
  const password = env.SQLITE_SNAPSHOT_REGISTRY_PASSWORD;
  if (user && password) {
    return { username: user, password, source: 'SQLITE_SNAPSHOT_REGISTRY_USERNAME/_PASSWORD' };
  }
  return fromDockerConfig(registry, env);
}
