/** Twirp's JSON wire conventions, as the generated clients of @actions/artifact and @actions/cache expect them. */
import type { IncomingMessage, ServerResponse } from 'node:http';

// Twirp error codes and their HTTP statuses. The clients retry 5xx and give up at once on the others, so the
// code decides whether a test waits through retries or fails fast.
const STATUS = {
  invalid_argument: 400,
  malformed: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  failed_precondition: 412,
  internal: 500,
} as const;

export type TwirpCode = keyof typeof STATUS;

export class TwirpError extends Error {
  readonly code: TwirpCode;
  constructor(code: TwirpCode, msg: string) {
    super(msg);
    this.code = code;
  }
}

/** A Twirp method: the decoded JSON request in, the JSON response out (proto field names, int64 as strings). */
export type TwirpMethod = (request: Record<string, unknown>, authorization: string | undefined) => Promise<object>;

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : JSON.parse(text);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendTwirpError(res: ServerResponse, error: TwirpError) {
  sendJson(res, STATUS[error.code], { code: error.code, msg: error.message });
}

// Request field readers: the generated clients omit default values, so absent means empty.

export function str(request: Record<string, unknown>, field: string): string {
  const value = request[field];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new TwirpError('malformed', `${field} must be a string`);
  return value;
}

/** int64 fields arrive as decimal strings (proto JSON), though numbers are valid too. */
export function int(request: Record<string, unknown>, field: string): number | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw new TwirpError('malformed', `${field} must be an int64`);
  }
  return number;
}

export function strList(request: Record<string, unknown>, field: string): string[] {
  const value = request[field] ?? [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new TwirpError('malformed', `${field} must be a list of strings`);
  }
  return value as string[];
}

/** google.protobuf.Timestamp in JSON form: an RFC 3339 string in UTC. */
export function timestamp(date: Date): string {
  return date.toISOString();
}
