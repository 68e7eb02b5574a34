/**
 * Loads better-sqlite3 through its per-platform entry points, so the bundle in dist/ carries every
 * prebuilt binary and loads the right one with no node_modules, and refuses clearly where it cannot.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { ioError, unsupportedError } from '../shared/errors.ts';

export type Database = BetterSqlite3.Database;
export type DatabaseConstructor = typeof BetterSqlite3;

/** better-sqlite3 13 crashes the process on older Node; refuse before loading the addon. */
export const MINIMUM_NODE_MAJOR = 22;

let cached: DatabaseConstructor | undefined;

/**
 * Refuses a runtime older than Node.js 22 in one line, before anything is read: better-sqlite3
 * crashes there, and Node 20's JSON.parse has no source access, so it would misread every
 * manifest's integers and report a valid snapshot as damaged.
 */
export function checkNodeVersion(version: string = process.versions.node): void {
  const major = Number(version.split('.')[0]);
  if (!(major >= MINIMUM_NODE_MAJOR)) {
    throw unsupportedError(
      `sqlite-snapshot needs Node.js ${MINIMUM_NODE_MAJOR} or newer and this is Node.js ${version}: install Node.js 24 (in a workflow, use a runner that runs node24 actions).`,
    );
  }
}

function isMusl(): boolean {
  if (process.platform !== 'linux') return false;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return !report?.header?.glibcVersionRuntime;
}

/** Each case is a literal import so the bundler copies that platform's prebuilt binary. */
async function importForPlatform(key: string): Promise<DatabaseConstructor | undefined> {
  switch (key) {
    case 'linux-x64':
      return (await import('better-sqlite3/linux-x64')).default;
    case 'linux-arm64':
      return (await import('better-sqlite3/linux-arm64')).default;
    case 'linuxmusl-x64':
      return (await import('better-sqlite3/linuxmusl-x64')).default;
    case 'linuxmusl-arm64':
      return (await import('better-sqlite3/linuxmusl-arm64')).default;
    case 'darwin-x64':
      return (await import('better-sqlite3/darwin-x64')).default;
    case 'darwin-arm64':
      return (await import('better-sqlite3/darwin-arm64')).default;
    case 'win32-x64':
      return (await import('better-sqlite3/win32-x64')).default;
    case 'win32-arm64':
      return (await import('better-sqlite3/win32-arm64')).default;
    default:
      return undefined;
  }
}

/** Loads the SQLite binding once; every later call reuses it. */
export async function loadSqlite(): Promise<DatabaseConstructor> {
  if (cached) return cached;
  checkNodeVersion();
  const platform = isMusl() ? 'linuxmusl' : process.platform;
  const key = `${platform}-${process.arch}`;
  let loaded: DatabaseConstructor | undefined;
  try {
    loaded = await importForPlatform(key);
  } catch (error) {
    throw ioError(
      `Could not load the SQLite binding for ${key}: ${(error as Error).message}`,
      'Reinstall sqlite-snapshot; if the file is present, the platform may lack a prebuilt binary.',
      error,
    );
  }
  if (!loaded) {
    throw unsupportedError(
      `sqlite-snapshot has no prebuilt SQLite binding for ${key}.`,
      'Use a linux, macOS or Windows runner on x64 or arm64.',
    );
  }
  cached = loaded;
  return loaded;
}
