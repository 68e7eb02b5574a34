/**
 * An OCI distribution client, as small as pushing, resolving and pulling a snapshot needs: the
 * registry's auth challenge answered as users expect (anonymous or credentialed Bearer tokens from
 * the `WWW-Authenticate` realm, or Basic), redirects followed without credentials when they leave
 * the registry's host, bounded retries with backoff on 429, 5xx and dropped connections, and every
 * failure named by registry, repository, HTTP status and the registry's error code.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ioError, type SnapshotError } from '../shared/errors.ts';
import { printableShort } from '../shared/untrusted.ts';
import type { Credentials } from './credentials.ts';
import type { RegistryReference } from './reference.ts';

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Bytes, so a retry can send them again; large bodies go through stream(). */
  body?: Uint8Array;
  /** Statuses that are an answer, not a failure (e.g. 404 for "no such blob"). */
  accept?: readonly number[];
  /** What the request does, for messages: "upload snapshot.sql". */
  what: string;
}

const RETRIES = 3;
const MAX_REDIRECTS = 5;

/** `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` as its scheme and parameters. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const scheme = header.trim().split(/\s+/, 1)[0]!.toLowerCase();
  const params: Record<string, string> = {};
  for (const match of header.slice(scheme.length).matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) params[match[1]!] = match[2]!;
  return { scheme, params };
}

export class RegistryClient {
  readonly base: string;
  readonly reference: RegistryReference;
  private readonly credentials: Credentials | undefined;
  /** The access the token asks for: pull, or pull and push. */
  private readonly actions: 'pull' | 'pull,push';
  private bearer: string | undefined;
  private basic = false;

  constructor(reference: RegistryReference, credentials: Credentials | undefined, actions: 'pull' | 'pull,push') {
    this.reference = reference;
    this.credentials = credentials;
    this.actions = actions;
    this.base = `${reference.plainHttp ? 'http' : 'https'}://${reference.registry}`;
  }

  /** `/v2/<repository>/<rest>`. */
  path(rest: string): string {
    return `/v2/${this.reference.repository}/${rest}`;
  }

  /**
   * A request whose body or answer is a large stream (a dump), over node:http with backpressure
   * both ways, so memory stays flat whatever the size. Auth must already be settled by an earlier
   * request of this client (a manifest read, an upload's POST); redirects of a GET are followed,
   * with credentials only on the registry's own host.
   */
  async stream(
    method: 'GET' | 'PUT',
    url: string,
    options: { headers?: Record<string, string>; body?: Readable; what: string },
  ): Promise<IncomingMessage> {
    let target = new URL(url, this.base);
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { ...options.headers };
      const authorization = this.authorizationFor(target);
      if (authorization) headers.authorization = authorization;
      let response: IncomingMessage;
      try {
        response = await new Promise<IncomingMessage>((resolve, reject) => {
          const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
          const outgoing = send(target, { method, headers }, resolve);
          outgoing.once('error', reject);
          if (options.body) pipeline(options.body, outgoing).catch(reject);
          else outgoing.end();
        });
      } catch (error) {
        throw this.unreachable({ cause: error }, options.what);
      }
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (method === 'GET' && status >= 300 && status < 400 && location && hop < MAX_REDIRECTS) {
        response.resume();
        target = new URL(location, target);
        continue;
      }
      if (status >= 200 && status < 300) return response;
      const chunks: Buffer[] = [];
      for await (const chunk of response) if (chunks.length < 64) chunks.push(chunk as Buffer);
      const answer = new Response(Buffer.concat(chunks), {
        status,
        headers: { 'www-authenticate': String(response.headers['www-authenticate'] ?? '') },
      });
      throw await this.failure(answer, options.what);
    }
  }

  /** Sends a request, answering auth challenges and retrying what can be retried; throws a clear error otherwise. */
  async request(method: string, pathOrUrl: string, options: RequestOptions): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.send(method, new URL(pathOrUrl, this.base), options);
      } catch (error) {
        if (attempt < RETRIES && isTransient(error)) {
          await sleep(backoff(attempt));
          continue;
        }
        throw this.unreachable(error, options.what);
      }
      if (response.status === 401 && attempt === 1 && (await this.answerChallenge(response))) {
        attempt = 0;
        continue;
      }
      if ((response.status === 429 || response.status >= 500) && attempt < RETRIES) {
        await response.body?.cancel();
        await sleep(backoff(attempt, response.headers.get('retry-after')));
        continue;
      }
      if (response.ok || options.accept?.includes(response.status)) return response;
      throw await this.failure(response, options.what);
    }
  }

  /** One request with its redirects: credentials go only to the registry's own host. */
  private async send(method: string, url: URL, options: RequestOptions): Promise<Response> {
    let target = url;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { ...options.headers };
      const authorization = this.authorizationFor(target);
      if (authorization) headers.authorization = authorization;
      const response = await fetch(target, {
        method,
        headers,
        body: options.body,
        redirect: 'manual',
      } as RequestInit);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location || method === 'POST' || method === 'PUT') {
        return response;
      }
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw ioError(`${this.where()}: more than ${MAX_REDIRECTS} redirects.`);
      target = new URL(location, target);
    }
  }

  /** Credentials for a request to `target`: only ever on the registry's own host (a redirect may leave it). */
  private authorizationFor(target: URL): string | undefined {
    return target.host === new URL(this.base).host ? this.authorization() : undefined;
  }

  private authorization(): string | undefined {
    if (this.bearer) return `Bearer ${this.bearer}`;
    if (this.basic && this.credentials) {
      return `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    }
    return undefined;
  }

  /** Takes a 401's challenge; true when there is now something new to try. */
  private async answerChallenge(response: Response): Promise<boolean> {
    await response.body?.cancel();
    const { scheme, params } = parseChallenge(response.headers.get('www-authenticate') ?? '');
    if (scheme === 'basic') {
      if (!this.credentials || this.basic) return false;
      this.basic = true;
      return true;
    }
    if (scheme !== 'bearer' || !params.realm || this.bearer) return false;
    const realm = new URL(params.realm);
    if (params.service) realm.searchParams.set('service', params.service);
    // The access this client needs for all its requests, not only the one challenged: a push's
    // first request (looking for a blob) is challenged for pull alone.
    realm.searchParams.set('scope', `repository:${this.reference.repository}:${this.actions}`);
    const headers: Record<string, string> = {};
    if (this.credentials) {
      headers.authorization = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    }
    let answer: Response;
    try {
      answer = await fetch(realm, { headers });
    } catch (error) {
      throw this.unreachable(error, `get a token from ${realm.host}`);
    }
    if (!answer.ok) throw await this.failure(answer, `get a token from ${realm.host}`);
    const body = (await answer.json().catch(() => ({}))) as { token?: string; access_token?: string };
    this.bearer = body.token ?? body.access_token;
    return this.bearer !== undefined;
  }

  private where(): string {
    return `Registry ${this.reference.registry}, repository ${this.reference.repository}`;
  }

  private unreachable(error: unknown, what: string): SnapshotError {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (error as Error).message;
    return ioError(
      `${this.where()}: could not ${what}: the registry could not be reached (${printableShort(String(detail), 200)}).`,
      `Check the host and port, the network, and whether the registry speaks ${this.reference.plainHttp ? 'plain HTTP' : 'HTTPS'} (pass --plain-http for an HTTP registry).`,
      error,
    );
  }

  /** A failed answer as one clear error: status, the registry's error code, and what to do. */
  async failure(response: Response, what: string): Promise<SnapshotError> {
    const text = await response.text().catch(() => '');
    let code = '';
    try {
      const errors = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors ?? [];
      code = errors.map((entry) => [entry.code, entry.message].filter(Boolean).join(': ')).join('; ');
    } catch {
      // Not the distribution spec's error body: the status says enough.
    }
    const said = code ? ` (${printableShort(code, 300)})` : '';
    const message = `${this.where()}: could not ${what}: HTTP ${response.status}${said}.`;
    // A token that is valid but lacks the access asked for: a permission, not a login, is missing.
    const scope = /error="insufficient_scope"/.test(response.headers.get('www-authenticate') ?? '');
    return ioError(message, this.hintFor(scope && this.credentials ? 403 : response.status));
  }

  private hintFor(status: number): string {
    const tried = this.credentials ? `the credentials from ${this.credentials.source}` : 'no credentials';
    if (status === 401) {
      return `The registry refused ${tried}. Give a user and a password or token (--username with --password-stdin, SQLITE_SNAPSHOT_REGISTRY_USERNAME/_PASSWORD, or docker login).`;
    }
    if (status === 403) {
      return `${tried[0]!.toUpperCase()}${tried.slice(1)} may not ${this.actions === 'pull' ? 'read' : 'write'} this repository: grant ${this.actions === 'pull' ? 'read' : 'write'} access (on ghcr.io, packages: ${this.actions === 'pull' ? 'read' : 'write'}).`;
    }
    if (status === 404) {
      return 'Check the repository name and the tag or digest; a new ghcr.io package exists only after its first push, and a private one answers 404 without credentials.';
    }
    if (status === 429 || status >= 500) return 'The registry is busy or failing: try again later.';
    return 'Check the reference and the registry.';
  }
}

function isTransient(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } }).cause?.code ?? '';
  return ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT'].includes(code);
}

/** 0.25 s, 0.5 s, … or what Retry-After asks for, at most 5 s. */
function backoff(attempt: number, retryAfter?: string | null): number {
  const asked = Number(retryAfter);
  if (Number.isFinite(asked) && asked > 0) return Math.min(asked * 1000, 5000);
  return Math.min(250 * 2 ** (attempt - 1), 5000);
}
