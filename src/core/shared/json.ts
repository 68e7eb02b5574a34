/** JSON with bigints written as exact numbers (JSON.rawJSON), so integers above 2^53 keep every digit. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, inner: unknown) =>
      typeof inner === 'bigint'
        ? (JSON as unknown as { rawJSON: (t: string) => unknown }).rawJSON(inner.toString())
        : inner,
    2,
  );
}
