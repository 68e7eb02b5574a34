/**
 * Strict reading of manifest.json, with a parser of our own rather than JSON.parse: JSON.parse
 * hides a duplicated field (last one wins), rounds integers above 2^53, and its error messages
 * quote the text around a syntax error, which for a file that is not a manifest at all (a copy of
 * a secret, say) would print the secret (docs/format.md §6). Here a syntax error names its line and
 * column and shows one escaped character; keys come in text order, duplicates included; numbers
 * keep their source text. What Go would read differently is judged by verifyFields.ts.
 */
import { quoted } from '../shared/untrusted.ts';

/** A manifest is well under 1 KiB; anything past this is not a manifest and is not parsed. */
export const MANIFEST_MAX_BYTES = 64 * 1024;

export interface ParsedManifestText {
  /** The parsed top-level object, or undefined when the text is not a JSON object. */
  object: Record<string, unknown> | undefined;
  /** Why the text is not a JSON object, when it is not; never more than a character of it. */
  error: string | undefined;
  /** Top-level keys in text order, duplicates included. */
  keys: string[];
  /** Exact source text of each top-level number. */
  numberSources: Map<string, string>;
}

const refused = (error: string): ParsedManifestText => ({
  object: undefined,
  error,
  keys: [],
  numberSources: new Map(),
});

const tooLarge = (bytes: number): ParsedManifestText =>
  refused(`it is ${bytes} bytes or more; a manifest is well under 1 KiB, so over ${MANIFEST_MAX_BYTES} is not parsed`);

class JsonSyntaxError extends Error {
  readonly position: number;
  constructor(position: number, expected: string) {
    super(expected);
    this.position = position;
  }
}

// RFC 8259 tokens. Sticky, so each matches exactly at the scanner's position.
const WHITESPACE = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: raw control characters end a plain run
const PLAIN_CHARS = /[^"\\\u0000-\u001f]*/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
const LITERALS = ['true', 'false', 'null'];

class Scanner {
  readonly text: string;
  at = 0;
  constructor(text: string) {
    this.text = text;
  }

  private skip(pattern: RegExp): boolean {
    pattern.lastIndex = this.at;
    if (!pattern.test(this.text)) return false;
    this.at = pattern.lastIndex;
    return true;
  }

  fail(expected: string): never {
    throw new JsonSyntaxError(this.at, expected);
  }

  whitespace(): void {
    this.skip(WHITESPACE);
  }

  expect(char: string): void {
    if (this.text[this.at] !== char) this.fail(`'${char}'`);
    this.at++;
  }

  /** A string token, decoded (lone surrogate escapes stay as they are: verifyFields judges them). */
  string(): string {
    const start = this.at;
    this.expect('"');
    for (;;) {
      this.skip(PLAIN_CHARS);
      const char = this.text[this.at];
      if (char === '"') break;
      if (char === undefined) this.fail('the closing quote of the string');
      if (char !== '\\') this.fail('a control character in a string to be escaped (\\n, \\t, \\u0000…)');
      if (!this.skip(ESCAPE)) this.fail('an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and four hex digits');
    }
    this.at++;
    // The token is valid JSON now, so JSON.parse only decodes it and has nothing to complain about.
    return JSON.parse(this.text.slice(start, this.at)) as string;
  }

  /** Steps over one value, however deeply nested, with a stack rather than recursion. */
  value(): void {
    const closers: string[] = [];
    for (;;) {
      this.whitespace();
      const opener = this.text[this.at];
      if (opener === '{' || opener === '[') {
        this.at++;
        this.whitespace();
        const closer = opener === '{' ? '}' : ']';
        if (this.text[this.at] !== closer) {
          closers.push(closer);
          if (closer === '}') this.memberName();
          continue;
        }
        this.at++;
      } else {
        this.scalar();
      }
      // A value is complete: close what ends here, then go on with the next element, if any.
      for (;;) {
        const closer = closers.at(-1);
        if (closer === undefined) return;
        this.whitespace();
        if (this.text[this.at] === closer) {
          this.at++;
          closers.pop();
          continue;
        }
        this.expect(',');
        if (closer === '}') {
          this.whitespace();
          this.memberName();
        }
        break;
      }
    }
  }

  /** `"name" :` — leaves the scanner before the member's value. */
  memberName(): string {
    if (this.text[this.at] !== '"') this.fail('a member name in double quotes');
    const name = this.string();
    this.whitespace();
    this.expect(':');
    return name;
  }

  private scalar(): void {
    if (this.text[this.at] === '"') {
      this.string();
      return;
    }
    const literal = LITERALS.find((word) => this.text.startsWith(word, this.at));
    if (literal) this.at += literal.length;
    else if (!this.skip(NUMBER)) this.fail('a value');
  }
}

/** The members of the top-level object as raw value text, or what the top level is instead. */
function scanTopLevel(text: string): { key: string; value: string }[] | string {
  const scanner = new Scanner(text);
  scanner.whitespace();
  const start = scanner.at;
  const members: { key: string; value: string }[] = [];
  if (text[start] === '{') {
    scanner.at++;
    scanner.whitespace();
    while (text[scanner.at] !== '}') {
      if (members.length > 0) {
        if (text[scanner.at] !== ',') scanner.fail("',' or '}'");
        scanner.at++;
        scanner.whitespace();
      }
      const key = scanner.memberName();
      scanner.whitespace();
      const valueStart = scanner.at;
      scanner.value();
      members.push({ key, value: text.slice(valueStart, scanner.at) });
      scanner.whitespace();
    }
    scanner.at++;
  } else {
    scanner.value();
  }
  scanner.whitespace();
  if (scanner.at < text.length) scanner.fail('the end of the file after the top-level value');
  if (text[start] === '{') return members;
  const first = text[start];
  const kinds: Record<string, string> = { '[': 'an array', '"': 'a string', n: 'null', t: 'a boolean', f: 'a boolean' };
  return kinds[first ?? ''] ?? 'a number';
}

/** Where a syntax error is, and the one character found there (escaped), never the text around it. */
function describeSyntaxError(text: string, error: JsonSyntaxError): string {
  const before = text.slice(0, error.position);
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  const char = String.fromCodePoint(text.codePointAt(error.position) ?? 0);
  const found = error.position >= text.length ? 'the end of the file' : quoted(char);
  return `JSON syntax error at line ${line}, column ${column}: expected ${error.message}, found ${found}`;
}

export function parseManifestText(text: string): ParsedManifestText {
  if (text.length > MANIFEST_MAX_BYTES) return tooLarge(text.length);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MANIFEST_MAX_BYTES) return tooLarge(bytes);
  if (text.startsWith('\ufeff')) {
    return refused("it starts with a byte order mark (U+FEFF), which JSON forbids and Go's encoding/json refuses");
  }
  let members: { key: string; value: string }[] | string;
  try {
    members = scanTopLevel(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return refused(describeSyntaxError(text, error));
    throw error;
  }
  if (typeof members === 'string') return refused(`the top level is ${members}, not an object`);
  // No prototype: a "__proto__" key is a key like any other.
  const object = Object.create(null) as Record<string, unknown>;
  const numberSources = new Map<string, string>();
  for (const { key, value } of members) {
    const isNumber = /^[-0-9]/.test(value);
    object[key] = isNumber ? Number(value) : JSON.parse(value);
    if (isNumber) numberSources.set(key, value);
    else numberSources.delete(key);
  }
  return { object, error: undefined, keys: members.map((member) => member.key), numberSources };
}

/** The line and byte offset of the first byte that is not UTF-8 (text up to there decodes alike). */
function whereUtf8Breaks(bytes: Uint8Array): string {
  const lossy = new TextEncoder().encode(new TextDecoder('utf-8').decode(bytes));
  let at = 0;
  while (at < bytes.length && bytes[at] === lossy[at]) at++;
  const line = bytes.subarray(0, at).filter((byte) => byte === 0x0a).length + 1;
  return `line ${line}, near byte ${at}`;
}

/**
 * Parses manifest.json as read from disk: at most MANIFEST_MAX_BYTES, and UTF-8, as JSON
 * (RFC 8259) requires. Go would read bytes that are not UTF-8 as U+FFFD, so they are refused.
 */
export function parseManifestBytes(bytes: Uint8Array): ParsedManifestText {
  if (bytes.length > MANIFEST_MAX_BYTES) return tooLarge(bytes.length);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return refused(`it is not UTF-8 text (${whereUtf8Breaks(bytes)})`);
  }
  return parseManifestText(text);
}
