// better-sqlite3 13 exposes one entry per prebuilt platform; each exports the same Database class.
declare module 'better-sqlite3/*' {
  import Database from 'better-sqlite3';
  export default Database;
}
