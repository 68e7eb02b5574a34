/**
 * A line diff of two SQL texts (longest common subsequence), so a long CREATE statement that
 * changed in one line shows that line rather than the whole statement twice.
 */

export interface DiffLine {
  /** ' ' in both, '-' only in the old text, '+' only in the new one. */
  mark: ' ' | '-' | '+';
  text: string;
}

export function diffLines(oldText: string | null, newText: string | null): DiffLine[] {
  const old = oldText === null ? [] : oldText.split('\n');
  const next = newText === null ? [] : newText.split('\n');
  // common[i][j]: length of the longest common subsequence of old[i..] and next[j..].
  const common = Array.from({ length: old.length + 1 }, () => new Array<number>(next.length + 1).fill(0));
  for (let i = old.length - 1; i >= 0; i--) {
    for (let j = next.length - 1; j >= 0; j--) {
      common[i]![j] =
        old[i] === next[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < old.length || j < next.length) {
    if (i < old.length && j < next.length && old[i] === next[j]) {
      lines.push({ mark: ' ', text: old[i++]! });
      j++;
    } else if (j >= next.length || (i < old.length && common[i + 1]![j]! >= common[i]![j + 1]!)) {
      lines.push({ mark: '-', text: old[i++]! });
    } else {
      lines.push({ mark: '+', text: next[j++]! });
    }
  }
  return lines;
}
