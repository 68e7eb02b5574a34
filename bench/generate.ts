/**
 * Generates the benchmark databases, deterministic (seeded):
 * - `mixed`: mixed types across a rowid table, an AUTOINCREMENT table and a WITHOUT ROWID table,
 *   with indexes, a view and a trigger. About 125 bytes of content per row, so the default 2M rows
 *   make a database of roughly 250 MB, and 8M rows one of about 1 GB.
 * - `indexed`: the shape of a real app's main table: all rows in `items`, with three secondary
 *   indexes on it (a name lookup, a range over qty and price, a partial index on note), so a
 *   restore spends much of its time building indexes.
 */

import type { Database } from '../src/core/sqlite/sqlite.ts';
import { loadSqlite } from '../src/core/sqlite/sqlite.ts';
import { seededRandom as random } from '../test/random.ts';

export type BenchShape = 'mixed' | 'indexed';

const WORDS = [
  'alpha',
  'bravo',
  'charlie',
  'delta',
  'echo',
  'foxtrot',
  "o'hara",
  'golf',
  'hotel',
  'ünïcödé',
  '日本語',
  'kilo',
];

const SCHEMA = `
  CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER, price REAL, payload BLOB, note TEXT);
  CREATE TABLE events(id INTEGER PRIMARY KEY AUTOINCREMENT, item_id INTEGER, kind TEXT, at INTEGER, data TEXT);
  CREATE TABLE kv(k TEXT, n INTEGER, v, PRIMARY KEY(k, n)) WITHOUT ROWID;
  CREATE TABLE audit(id INTEGER PRIMARY KEY, item_id INTEGER, change TEXT);
  CREATE TRIGGER items_audit AFTER UPDATE OF qty ON items BEGIN
    INSERT INTO audit(item_id, change) VALUES(new.id, 'qty;' || old.qty || '->' || new.qty);
  END;
`;

const MIXED_INDEXES = `
  CREATE INDEX items_name ON items(name);
  CREATE INDEX events_item ON events(item_id, at);
  CREATE INDEX kv_value ON kv(v) WHERE v IS NOT NULL;
`;

const INDEXED_INDEXES = `
  CREATE INDEX items_name ON items(name);
  CREATE INDEX items_qty_price ON items(qty, price);
  CREATE INDEX items_note ON items(note) WHERE note IS NOT NULL;
`;

const VIEW = `CREATE VIEW item_totals AS SELECT i.id, i.name, count(e.id) AS events FROM items i LEFT JOIN events e ON e.item_id = i.id GROUP BY i.id;`;

export async function generateBenchDb(path: string, totalRows: number, shape: BenchShape = 'mixed'): Promise<void> {
  const Database = await loadSqlite();
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(SCHEMA);
  const itemRows = shape === 'indexed' ? totalRows : Math.floor(totalRows * 0.55);
  const eventRows = shape === 'indexed' ? 0 : Math.floor(totalRows * 0.3);
  fillRows(db, itemRows, eventRows, totalRows - itemRows - eventRows);
  db.exec(`
    UPDATE items SET qty = qty + 1 WHERE id % 1000 = 0;
    DELETE FROM events WHERE id % 97 = 0;
    ${shape === 'indexed' ? INDEXED_INDEXES : MIXED_INDEXES}
    ${VIEW}
  `);
  db.close();
}

function fillRows(db: Database, itemRows: number, eventRows: number, kvRows: number): void {
  const rand = random(42);
  const word = (): string => WORDS[Math.floor(rand() * WORDS.length)]!;
  const sentence = (n: number): string => Array.from({ length: n }, word).join(' ');
  const insertItem = db.prepare('INSERT INTO items VALUES(?, ?, ?, ?, ?, ?)');
  const insertEvent = db.prepare('INSERT INTO events(item_id, kind, at, data) VALUES(?, ?, ?, ?)');
  const insertKv = db.prepare('INSERT INTO kv VALUES(?, ?, ?)');
  const batch = 50_000;
  const fill = (count: number, insertOne: (i: number) => void): void => {
    for (let start = 0; start < count; start += batch) {
      db.transaction(() => {
        for (let i = start; i < Math.min(count, start + batch); i++) insertOne(i);
      })();
    }
  };
  fill(itemRows, (i) => {
    const payload = Buffer.alloc(16 + Math.floor(rand() * 32));
    for (let j = 0; j < payload.length; j++) payload[j] = Math.floor(rand() * 256);
    const note =
      rand() < 0.3 ? null : rand() < 0.05 ? `${sentence(3)}\n${sentence(2)}` : sentence(2 + Math.floor(rand() * 4));
    insertItem.run(i + 1, `item ${sentence(2)} #${i}`, Math.floor(rand() * 1e6) - 5e5, rand() * 1e4, payload, note);
  });
  fill(eventRows, (i) => {
    const at = BigInt(1_700_000_000_000 + i * 1000) * 1000n;
    insertEvent.run(
      1 + Math.floor(rand() * itemRows),
      word(),
      at,
      JSON.stringify({ seq: i, tag: word(), ok: rand() < 0.5 }),
    );
  });
  fill(kvRows, (i) => {
    const roll = rand();
    const value =
      roll < 0.25 ? rand() * 1e300 : roll < 0.5 ? Math.floor(rand() * 2 ** 31) : roll < 0.75 ? sentence(3) : null;
    insertKv.run(`key/${word()}/${i % 1000}`, i, value);
  });
}
