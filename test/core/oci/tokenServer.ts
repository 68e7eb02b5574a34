/**
 * A token server for the registry tests, as the Docker token spec describes one: GET
 * /token?service=…&scope=repository:<name>:<actions> answers {"token": <RS256 JWT>} granting what
 * the caller may have. Users: `pusher` may pull and push, `reader` only pull, anyone anonymous
 * only pull; a wrong password is a 401. The registry trusts the signing certificate.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { tempDir } from '../../helpers.ts';
import { freePort, type TokenAuth } from './registryServer.ts';

export const TOKEN_USERS: Record<string, { password: string; actions: string[] }> = {
  pusher: { password: 'push-pass', actions: ['pull', 'push'] },
  reader: { password: 'read-pass', actions: ['pull'] },
};

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export interface TokenServer {
  auth: TokenAuth;
  /** How many tokens it has issued, by user ('' for anonymous). */
  issued: Map<string, number>;
  stop(): Promise<void>;
}

export async function startTokenServer(): Promise<TokenServer> {
  const dir = tempDir('token-server-');
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=sqlite-snapshot test tokens',
    ],
    { stdio: 'ignore' },
  );
  const key = createPrivateKey(readFileSync(keyFile));
  const certificate = new X509Certificate(readFileSync(certFile));
  const x5c = [certificate.raw.toString('base64')];
  const port = await freePort();
  const auth: TokenAuth = {
    realm: `http://127.0.0.1:${port}/token`,
    service: 'sqlite-snapshot-test-registry',
    issuer: 'sqlite-snapshot-test-issuer',
    certificate: certFile,
  };
  const issued = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', auth.realm);
    let user = '';
    const header = request.headers.authorization ?? '';
    if (header.startsWith('Basic ')) {
      const [name, password] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      if (!name || TOKEN_USERS[name]?.password !== password) {
        response.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"wrong credentials"}');
        return;
      }
      user = name;
    }
    const allowed = user ? TOKEN_USERS[user]!.actions : ['pull'];
    const access = url.searchParams.getAll('scope').flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      if (type !== 'repository' || !name || !actions) return [];
      return [{ type, name, actions: actions.split(',').filter((action) => allowed.includes(action)) }];
    });
    const now = Math.floor(Date.now() / 1000);
    const header64 = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c }));
    const claims64 = base64url(
      JSON.stringify({
        iss: auth.issuer,
        sub: user,
        aud: url.searchParams.get('service'),
        exp: now + 300,
        nbf: now - 10,
        iat: now,
        jti: randomBytes(8).toString('hex'),
        access,
      }),
    );
    const signature = base64url(sign('sha256', Buffer.from(`${header64}.${claims64}`), key));
    issued.set(user, (issued.get(user) ?? 0) + 1);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ token: `${header64}.${claims64}.${signature}`, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    auth,
    issued,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
