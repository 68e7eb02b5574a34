/** The bounds of SQLite's 64-bit integers and of the manifest's uint64 fields, as exact bigints. */
export const UINT64_MAX = (1n << 64n) - 1n;
export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;
