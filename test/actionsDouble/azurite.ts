/**
 * Azurite's blob service as a child process: the storage the signed URLs of the fake results service point into.
 * The real clients upload and download with @azure/storage-blob and plain HTTP, so they need a real blob endpoint.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BlobSASPermissions,
  BlobServiceClient,
  type ContainerClient,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';

// Azurite's fixed development account; public, documented, and accepted by no real service.
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const CONTAINER = 'actions-results';
const STARTUP_TIMEOUT_MS = 20_000;
const LISTENING = /successfully listens on (http:\/\/127\.0\.0\.1:\d+)/;

export interface Azurite {
  /** Blob service endpoint, e.g. http://127.0.0.1:41234/devstoreaccount1 */
  endpoint: string;
  container: ContainerClient;
  /** A SAS URL for one blob of the container, like the signed URLs GitHub hands out. */
  signedUrl(blobName: string, access: 'upload' | 'read', contentDisposition?: string): string;
  /** Size of a committed blob, or undefined when nothing was uploaded under that name. */
  blobSize(blobName: string): Promise<number | undefined>;
  stop(): Promise<void>;
}

const credential = new StorageSharedKeyCredential(ACCOUNT, ACCOUNT_KEY);

export async function startAzurite(): Promise<Azurite> {
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/blob/main.js');
  // A private cwd: Azurite resolves its workspace from it even when persistence is in memory.
  const cwd = mkdtempSync(join(tmpdir(), 'azurite-'));
  // Output goes to a file, not a pipe: an open pipe would keep a test process alive that forgot stop().
  const logPath = join(cwd, 'azurite.log');
  const log = openSync(logPath, 'w');
  const child = spawn(
    process.execPath,
    [
      // The IPC channel closes when this process dies, however it dies; the hook makes Azurite follow it.
      '--import',
      new URL('./exitWithParent.ts', import.meta.url).href,
      main,
      '--blobHost',
      '127.0.0.1',
      // Port 0: the OS picks a free port, Azurite prints it, so parallel doubles never collide.
      '--blobPort',
      '0',
      '--inMemoryPersistence',
      '--extentMemoryLimit',
      '512',
      '--skipApiVersionCheck',
      '--loose',
      '--silent',
      '--disableTelemetry',
    ],
    { cwd, stdio: ['ignore', log, log, 'ipc'] },
  );
  closeSync(log);
  try {
    const origin = await waitForListening(child, logPath);
    const endpoint = `${origin}/${ACCOUNT}`;
    const container = new BlobServiceClient(endpoint, credential).getContainerClient(CONTAINER);
    await container.create();
    // Nothing here should keep a test process alive once it has stopped using the double.
    child.unref();
    child.channel?.unref();
    return {
      endpoint,
      container,
      signedUrl: (blobName, access, contentDisposition) => signedUrl(container, blobName, access, contentDisposition),
      blobSize: (blobName) => blobSize(container, blobName),
      stop: () => stopChild(child, cwd),
    };
  } catch (error) {
    await stopChild(child, cwd);
    throw error;
  }
}

async function waitForListening(child: ChildProcess, logPath: string): Promise<string> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  for (;;) {
    const output = readFileSync(logPath, 'utf8');
    const origin = LISTENING.exec(output)?.[1];
    if (origin) return origin;
    const reason = spawnError?.message ?? (child.exitCode !== null ? `exited with ${child.exitCode}` : undefined);
    if (reason || Date.now() > deadline) throw new Error(`Azurite did not start: ${reason ?? 'timed out'}\n${output}`);
    await sleep(25);
  }
}

function signedUrl(
  container: ContainerClient,
  blobName: string,
  access: 'upload' | 'read',
  contentDisposition?: string,
): string {
  const blob = container.getBlockBlobClient(blobName);
  const sas = generateBlobSASQueryParameters(
    {
      containerName: container.containerName,
      blobName,
      permissions: BlobSASPermissions.parse(access === 'upload' ? 'cw' : 'r'),
      startsOn: new Date(Date.now() - 60_000),
      expiresOn: new Date(Date.now() + 3_600_000),
      ...(contentDisposition ? { contentDisposition } : {}),
    },
    credential,
  );
  return `${blob.url}?${sas.toString()}`;
}

async function blobSize(container: ContainerClient, blobName: string): Promise<number | undefined> {
  try {
    const properties = await container.getBlockBlobClient(blobName).getProperties();
    return properties.contentLength;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

async function stopChild(child: ChildProcess, cwd: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    // Closing the channel makes the hook exit the child (its data is in memory, nothing to flush);
    // one that does not go in time is killed outright rather than left behind.
    if (child.connected) child.disconnect();
    else child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(cwd, { recursive: true, force: true });
}
