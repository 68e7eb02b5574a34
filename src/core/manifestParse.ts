/**
 * Strict reading of manifest.json: JSON.parse alone would hide a duplicated field (last one wins)
 * and round integers above 2^53, so keys are listed from the text and integers taken from their
 * source (JSON.parse source text access, Node ≥ 21).
 */

export interface ParsedManifestText {
  /** The parsed top-level object, or undefined when the text is not a JSON object. */
  object: Record<string, unknown> | undefined;
  /** Why the text is not a JSON object, when it is not. */
  error: string | undefined;
  /** Top-level keys in text order, duplicates included. */
  keys: string[];
  /** Exact source text of each top-level number. */
  numberSources: Map<string, string>;
}

type ReviverWithSource = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

/** Lists the keys of the outermost object; the text must already be valid JSON. */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) {
        keys.push(JSON.parse(text.slice(i, j + 1)) as string);
        expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      depth++;
      if (depth === 1) expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',' && depth === 1) {
      expectKey = true;
    }
  }
  return keys;
}

export function parseManifestText(text: string): ParsedManifestText {
  const sources: { holder: unknown; key: string; source: string }[] = [];
  const reviver: ReviverWithSource = function (key, value, context) {
    if (typeof value === 'number' && context?.source !== undefined)
      sources.push({ holder: this, key, source: context.source });
    return value;
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, reviver as (key: string, value: unknown) => unknown);
  } catch (error) {
    return { object: undefined, error: (error as Error).message, keys: [], numberSources: new Map() };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const what = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`;
    return { object: undefined, error: `the top level is ${what}, not an object`, keys: [], numberSources: new Map() };
  }
  const numberSources = new Map<string, string>();
  for (const entry of sources) if (entry.holder === parsed) numberSources.set(entry.key, entry.source);
  return { object: parsed as Record<string, unknown>, error: undefined, keys: topLevelKeys(text), numberSources };
}

/** Parses manifest.json as read from disk: the bytes must be UTF-8, as JSON (RFC 8259) requires. */
export function parseManifestBytes(bytes: Uint8Array): ParsedManifestText {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { object: undefined, error: 'it is not valid UTF-8', keys: [], numberSources: new Map() };
  }
  return parseManifestText(text);
}
