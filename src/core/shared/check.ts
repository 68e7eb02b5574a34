/**
 * One row of a verification report: what was checked, what was expected and what was found. Every
 * face and every error that carries checks shows them through the helpers here.
 */
import { printable } from './untrusted.ts';

export interface Check {
  /** What was checked: a manifest field name, or `manifest`, `size`, `checksum`. */
  name: string;
  ok: boolean;
  expected: string;
  actual: string;
  /** How to fix it (failures only). */
  hint?: string;
  /**
   * Where the row compares strings, the strings themselves: `expected` and `actual` are how the
   * text faces show them (quoted, escaped, cut short), JSON shows these instead.
   */
  expectedValue?: string;
  actualValue?: string;
}

/** A check as JSON shows it: compared strings as themselves, never quoted inside the JSON string. */
export const jsonCheck = ({ expectedValue, actualValue, ...check }: Check): Check => ({
  ...check,
  expected: expectedValue ?? check.expected,
  actual: actualValue ?? check.actual,
});

/**
 * A check as it may be shown: its name (an extra manifest key) and values come from the artifact,
 * so each is one printable line, controls escaped (docs/format.md §6). Every face shows rows through this.
 */
export const printableCheck = (check: Check): Check => ({
  ...check,
  name: printable(check.name),
  expected: printable(check.expected),
  actual: printable(check.actual),
  ...(check.hint === undefined ? {} : { hint: printable(check.hint) }),
});

/** `name: expected X, got Y`: a failed check in one printable line, as every face and error shows it. */
export function describeFailedCheck(check: Check): string {
  const { name, expected, actual } = printableCheck(check);
  return `${name}: expected ${expected}, got ${actual}`;
}
