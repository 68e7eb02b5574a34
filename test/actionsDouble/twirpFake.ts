/**
 * One loopback HTTP server standing in for GitHub's results service (Twirp, under /twirp/) and for the slice of the
 * REST API the artifact client uses with a token (under /api/). Blob bytes never pass through it: it hands out
 * signed Azurite URLs, exactly as the real service hands out signed Azure URLs.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArtifactService } from './artifactService.ts';
import type { Azurite } from './azurite.ts';
import { CacheService } from './cacheService.ts';
import { API_PREFIX, handleRest, type RestFakeOptions } from './restFake.ts';
import { readJson, sendJson, sendTwirpError, TwirpError, type TwirpMethod } from './twirp.ts';

const ARTIFACT_SERVICE = 'github.actions.results.api.v1.ArtifactService';
const CACHE_SERVICE = 'github.actions.results.api.v1.CacheService';
const TWIRP_ROUTE = /^\/twirp\/([\w.]+)\/(\w+)$/;

export interface TwirpFakeOptions extends Omit<RestFakeOptions, 'artifacts'> {
  azurite: Azurite;
}

export interface TwirpFake {
  /** Origin with a trailing slash, as ACTIONS_RESULTS_URL is on GitHub. */
  resultsUrl: string;
  /** Base of the REST API, for GITHUB_API_URL. */
  apiUrl: string;
  artifacts: ArtifactService;
  caches: CacheService;
  stop(): Promise<void>;
}

export async function startTwirpFake(options: TwirpFakeOptions): Promise<TwirpFake> {
  const artifacts = new ArtifactService(options.azurite);
  const caches = new CacheService(options.azurite);
  const services: Record<string, Record<string, TwirpMethod>> = {
    [ARTIFACT_SERVICE]: artifacts.methods(),
    [CACHE_SERVICE]: caches.methods(),
  };
  const rest: RestFakeOptions = { ...options, artifacts };
  let apiUrl = '';

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) {
      handleRest(req, res, rest, apiUrl);
      return;
    }
    handleTwirp(req, res, services).catch((error: unknown) => {
      // A bug in the fake must surface, not hide behind the clients' retries of a 500.
      console.error('actions double: unexpected failure', error);
      if (!res.headersSent) sendTwirpError(res, new TwirpError('internal', String(error)));
    });
  });
  // Loopback only, port chosen by the OS: nothing outside this machine can reach it, and parallel doubles don't clash.
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  // Lets a test process that forgot stop() still exit.
  server.unref();
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  apiUrl = `${origin}${API_PREFIX}`;

  return {
    resultsUrl: `${origin}/`,
    apiUrl,
    artifacts,
    caches,
    stop: async () => {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

async function handleTwirp(
  req: IncomingMessage,
  res: ServerResponse,
  services: Record<string, Record<string, TwirpMethod>>,
): Promise<void> {
  const [, service, name] = TWIRP_ROUTE.exec(new URL(req.url ?? '/', 'http://localhost').pathname) ?? [];
  const method = service && name ? services[service]?.[name] : undefined;
  if (req.method !== 'POST' || !method) {
    req.resume();
    return sendTwirpError(res, new TwirpError('bad_route', `no handler for ${req.method} ${req.url}`));
  }
  // Only the JSON flavour: the clients always use it, and a protobuf request would mean a changed client.
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    req.resume();
    return sendTwirpError(res, new TwirpError('bad_route', `unsupported content-type ${req.headers['content-type']}`));
  }
  let request: unknown;
  try {
    request = await readJson(req);
  } catch {
    return sendTwirpError(res, new TwirpError('malformed', 'request body is not JSON'));
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return sendTwirpError(res, new TwirpError('malformed', 'request body is not a JSON object'));
  }
  try {
    sendJson(res, 200, await method(request as Record<string, unknown>, req.headers.authorization));
  } catch (error) {
    if (error instanceof TwirpError) return sendTwirpError(res, error);
    throw error;
  }
}
