/**
 * Registry references as users write them: `[oci://]host[:port]/path[:tag|@sha256:<hex>]`. A
 * reference names a registry (always with a host, so `ghcr.io/acme/app` never reads as a local
 * directory), a repository, and at most one of a tag or a digest.
 */
import { usageError } from '../shared/errors.ts';

export interface RegistryReference {
  /** `host` or `host:port`, as written (lower-cased). */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
  /** Talk plain HTTP: asked for with --plain-http, or implied for a loopback registry. */
  plainHttp: boolean;
}

const PREFIX = 'oci://';
/** The distribution spec's grammar: path components of lower-case letters and digits, with separators. */
const REPOSITORY = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** A sha256 digest as registries and manifests write it. */
export const DIGEST = /^sha256:[0-9a-f]{64}$/;
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:]+\])(?::[0-9]{1,5})?$/;

const isLoopback = (registry: string): boolean => /^(?:localhost|127\.\d+\.\d+\.\d+|\[::1\])(?::\d+)?$/.test(registry);

/**
 * Whether `text` is meant as a registry reference rather than a directory: it has the `oci://`
 * prefix, or its first component is a host (holds a dot or a port, or is localhost) and it does
 * not exist as a path the caller can see.
 */
export function looksLikeReference(text: string, existsAsPath: boolean): boolean {
  if (text.startsWith(PREFIX)) return true;
  if (existsAsPath || !text.includes('/')) return false;
  const first = text.slice(0, text.indexOf('/'));
  return first === 'localhost' || /\.|:\d+$/.test(first);
}

/** Parses a reference; `plainHttp` is the --plain-http choice (a loopback registry implies it). */
export function parseReference(text: string, plainHttp = false): RegistryReference {
  const bad = (why: string) =>
    usageError(
      `"${text}" is not a registry reference: ${why}.`,
      'Write it as [oci://]host[:port]/repository[:tag|@sha256:<64 hex digits>], e.g. ghcr.io/acme/app-snapshot:cm3-cs7.',
    );
  let rest = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : text;
  const slash = rest.indexOf('/');
  if (slash <= 0) throw bad('it names no registry host');
  const registry = rest.slice(0, slash).toLowerCase();
  if (!HOST.test(registry)) throw bad(`"${registry}" is not a host name`);
  rest = rest.slice(slash + 1);
  let digest: string | undefined;
  let tag: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad('the digest is not sha256:<64 lower-case hex digits>');
  }
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(`"${tag}" is not a tag`);
  }
  if (tag !== undefined && digest !== undefined) throw bad('give a tag or a digest, not both');
  if (!REPOSITORY.test(rest)) throw bad(`"${rest}" is not a repository name (lower-case letters, digits, . _ - and /)`);
  return { registry, repository: rest, tag, digest, plainHttp: plainHttp || isLoopback(registry) };
}

/** `registry/repository`, then `:tag` or `@digest` when set. */
export function formatReference(reference: Omit<RegistryReference, 'plainHttp'>): string {
  const base = `${reference.registry}/${reference.repository}`;
  if (reference.digest) return `${base}@${reference.digest}`;
  return reference.tag ? `${base}:${reference.tag}` : base;
}
