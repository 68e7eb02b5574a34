/**
 * A real OCI registry for the tests: Debian's docker-registry (CNCF Distribution) on 127.0.0.1 with
 * a free port and a temporary storage directory, optionally behind htpasswd Basic auth. Stopped
 * with the test process.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../../helpers.ts';

export interface RegistryServer {
  /** `127.0.0.1:<port>`. */
  host: string;
  /** Where the registry keeps blobs and manifests (to tamper with them). */
  storage: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Token auth as the Docker token spec has it: the realm, service and issuer, and the signer's certificate. */
export interface TokenAuth {
  realm: string;
  service: string;
  issuer: string;
  certificate: string;
}

export async function startRegistry(
  options: { users?: Record<string, string>; token?: TokenAuth } = {},
): Promise<RegistryServer> {
  const dir = tempDir('registry-');
  const storage = join(dir, 'storage');
  const port = await freePort();
  const auth = options.token
    ? `auth:\n  token:\n    realm: ${options.token.realm}\n    service: ${options.token.service}\n    issuer: ${options.token.issuer}\n    rootcertbundle: ${options.token.certificate}\n`
    : options.users
      ? (() => {
          const file = join(dir, 'htpasswd');
          const lines = Object.entries(options.users).map(([user, password]) =>
            execFileSync('htpasswd', ['-Bbn', user, password], { encoding: 'utf8' }).trim(),
          );
          writeFileSync(file, `${lines.join('\n')}\n`);
          return `auth:\n  htpasswd:\n    realm: test\n    path: ${file}\n`;
        })()
      : '';
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: ${process.env.TEST_REGISTRY_LOG_LEVEL ?? 'error'}\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${storage}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', config], {
    stdio: ['ignore', 'ignore', process.env.TEST_REGISTRY_LOG_LEVEL ? 'inherit' : 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const response = await fetch(`http://${host}/v2/`);
      if (response.status === 200 || response.status === 401) break;
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not start on ${host}:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    host,
    storage,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
