/** `1 table`, `2 tables`, `0 rows`: a count with its noun, as every face writes counts. */
export const counted = (count: number | bigint, noun: string, plural = `${noun}s`): string =>
  `${count} ${count === 1 || count === 1n ? noun : plural}`;
