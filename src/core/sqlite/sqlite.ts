/**
 * Loads better-sqlite3 with the prebuilt addon of this platform: in the bundle, the one unpacked
 * from dist/prebuilds (packedBinding.ts), so dist/ runs with no node_modules; from source, through
 * better-sqlite3's per-platform entry points. Refuses clearly where it cannot.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { ioError, SnapshotError, unsupportedError } from '../shared/errors.ts';
import { packedBindingDir, unpackedBinding } from './packedBinding.ts';

export type Database = BetterSqlite3.Database;
export type DatabaseConstructor = typeof BetterSqlite3;

/** better-sqlite3 13 crashes the process on older Node; refuse before loading the addon. */
export const MINIMUM_NODE_MAJOR = 22;

/** The platforms better-sqlite3 ships a prebuilt addon for, as `<platform>-<arch>`. */
export const PLATFORM_KEYS: readonly string[] = [
  'linux-x64',
  'linux-arm64',
  'linuxmusl-x64',
  'linuxmusl-arm64',
  'darwin-x64',
  'darwin-arm64',
  'win32-x64',
  'win32-arm64',
];

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

/**
 * The Database class bound to the addon at `path`: better-sqlite3's main entry point takes the
 * loaded addon as its `nativeBinding` option.
 */
async function boundTo(path: string): Promise<DatabaseConstructor> {
  // process.dlopen, not require: the bundler rewrites require and createRequire.
  const addon = { exports: {} as object };
  process.dlopen(addon, path);
  const Default = (await import('better-sqlite3')).default;
  const Bound = class extends Default {
    constructor(filename?: string | Buffer, options: BetterSqlite3.Options = {}) {
      super(filename, { ...options, nativeBinding: addon.exports as unknown as string });
    }
  };
  return Bound as unknown as DatabaseConstructor;
}

/**
 * From source, better-sqlite3's entry point for the platform, from node_modules. The bundle never
 * takes this path (it has dist/prebuilds), and the bundler leaves the import alone rather than
 * copying every platform's addon.
 */
async function importForPlatform(key: string): Promise<DatabaseConstructor | undefined> {
  if (!PLATFORM_KEYS.includes(key)) return undefined;
  const entry = `better-sqlite3/${key}`;
  return ((await import(/* webpackIgnore: true */ entry)) as { default: DatabaseConstructor }).default;
}

/** Loads the SQLite binding once; every later call reuses it. */
export async function loadSqlite(): Promise<DatabaseConstructor> {
  if (cached) return cached;
  checkNodeVersion();
  const platform = isMusl() ? 'linuxmusl' : process.platform;
  const key = `${platform}-${process.arch}`;
  let loaded: DatabaseConstructor | undefined;
  try {
    const packed = packedBindingDir(import.meta.url);
    if (packed) {
      const path = unpackedBinding(packed, key);
      loaded = path === undefined ? undefined : await boundTo(path);
    } else loaded = await importForPlatform(key);
  } catch (error) {
    if (error instanceof SnapshotError) throw error;
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
