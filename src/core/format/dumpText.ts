/** The first and last lines of every snapshot.sql: the whole dump is one transaction. */
export const DUMP_HEADER = 'PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n';
export const DUMP_FOOTER = 'COMMIT;\n';
