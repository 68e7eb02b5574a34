/** The product's version, shown in the first log line; a test keeps it equal to package.json's. */
export const VERSION = '1.0.0';
