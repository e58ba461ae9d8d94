// Runs in the benchmark page (bench/run.mjs evaluates these through window.benchStore):
// the same stored records appended and read back by plain IndexedDB and by Dexie, the
// floors orderlog's own store (window.wasmBindings.bench_*) is set beside.
const SCHEMA = { keyPath: 'seq', stream: ['stream_id', 'stream_version'], command: 'command_id' };

const request = (req) => new Promise((resolve, reject) => {
  req.onsuccess = () => resolve(req.result);
  req.onerror = () => reject(req.error);
});
const done = (tx) => new Promise((resolve, reject) => {
  tx.oncomplete = resolve;
  tx.onerror = () => reject(tx.error);
  tx.onabort = () => reject(tx.error);
});

async function fresh(name) {
  await request(indexedDB.deleteDatabase(name));
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    const events = open.result.createObjectStore('events', { keyPath: SCHEMA.keyPath });
    events.createIndex('stream', SCHEMA.stream, { unique: true });
    events.createIndex('command_id', SCHEMA.command);
  };
  return request(open);
}

async function opened(name) {
  return request(indexedDB.open(name));
}

/**
 * The floor of orderlog's layout: `events` written by plain IndexedDB as pages of about 1,000, each
 * one record holding its events as JSON text, with the same unique multi-entry indexes over
 * the events' stream versions and commands, in one transaction. Returns the time in ms,
 * building the pages included.
 */
export async function writePages(events, name, strict) {
  await request(indexedDB.deleteDatabase(name));
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    const pages = open.result.createObjectStore('pages', { keyPath: 'seq' });
    pages.createIndex('versions', 'versions', { unique: true, multiEntry: true });
    pages.createIndex('commands', 'commands', { unique: true, multiEntry: true });
  };
  const db = await request(open);
  const started = performance.now();
  const tx = db.transaction('pages', 'readwrite', { durability: strict ? 'strict' : 'relaxed' });
  const pages = tx.objectStore('pages');
  const add = (page) => {
    const last = page[page.length - 1];
    pages.add({
      seq: page[0].seq,
      last: last.seq,
      hash: last.hash,
      events: JSON.stringify(page),
      versions: page.map((e) => [e.stream_id, e.stream_version]),
      commands: [...new Set(page.map((e) => e.command_id))],
    });
  };
  // About 1,000 events a page, never splitting a command's events (its id is unique).
  let page = [];
  for (const event of events) {
    if (page.length >= 1000 && page[page.length - 1].command_id !== event.command_id) {
      add(page);
      page = [];
    }
    page.push(event);
  }
  if (page.length) add(page);
  await done(tx);
  const elapsed = performance.now() - started;
  db.close();
  return elapsed;
}

let records = null;
let dexie = null;

window.benchStore = {
  /**
   * Keeps orderlog's stored events of database `name` as the records every floor writes,
   * from its pages (or, a build before schema 3, its event records).
   */
  async takeRecords(name) {
    const db = await opened(name);
    const store = db.objectStoreNames.contains('pages') ? 'pages' : 'events';
    const stored = await request(db.transaction(store).objectStore(store).getAll());
    records = store === 'pages' ? stored.flatMap((page) => JSON.parse(page.events)) : stored;
    db.close();
    return records.length;
  },

  /** Plain IndexedDB writing the records as orderlog's pages: see `writePages`. */
  async rawPagesAppend(strict) {
    return writePages(records, 'bench-raw-pages', strict);
  },

  /** Plain IndexedDB: every record put in one transaction, no put awaited. */
  async rawAppend(strict) {
    const db = await fresh('bench-raw');
    const started = performance.now();
    const tx = db.transaction('events', 'readwrite', { durability: strict ? 'strict' : 'relaxed' });
    const events = tx.objectStore('events');
    for (const record of records) events.add(record);
    await done(tx);
    const elapsed = performance.now() - started;
    db.close();
    return elapsed;
  },

  /** Dexie's bulkAdd of the same records, same schema. */
  async dexieAppend(strict) {
    const { default: Dexie } = await import('/dexie.mjs');
    dexie?.close();
    await Dexie.delete('bench-dexie');
    dexie = new Dexie('bench-dexie', { chromeTransactionDurability: strict ? 'strict' : 'relaxed' });
    dexie.version(1).stores({ events: 'seq,&[stream_id+stream_version],command_id' });
    await dexie.open();
    const started = performance.now();
    await dexie.table('events').bulkAdd(records);
    return performance.now() - started;
  },

  /** Reading every record back: one getAll, getAll in pages of 1,000, a cursor, Dexie. */
  async reads() {
    const db = await opened('bench-raw');
    const store = () => db.transaction('events').objectStore('events');
    let started = performance.now();
    const all = await request(store().getAll());
    const getAll = performance.now() - started;

    started = performance.now();
    let paged = 0;
    for (let from = 1; ; from += 1000) {
      const page = await request(store().getAll(IDBKeyRange.lowerBound(from), 1000));
      paged += page.length;
      if (page.length < 1000) break;
    }
    const getAllPaged = performance.now() - started;

    started = performance.now();
    let cursored = 0;
    await new Promise((resolve, reject) => {
      const cursor = store().openCursor();
      cursor.onsuccess = () => {
        if (!cursor.result) return resolve();
        cursored += 1;
        cursor.result.continue();
      };
      cursor.onerror = () => reject(cursor.error);
    });
    const cursorMs = performance.now() - started;
    db.close();

    started = performance.now();
    const fromDexie = await dexie.table('events').toArray();
    const dexieMs = performance.now() - started;
    if (![all.length, paged, cursored, fromDexie.length].every((n) => n === records.length)) {
      throw new Error(`read ${all.length}, ${paged}, ${cursored}, ${fromDexie.length} of ${records.length}`);
    }
    return { getAll, getAllPaged, cursor: cursorMs, dexie: dexieMs };
  },

  /** Decoding the records in wasm: from IndexedDB's objects, and from one JSON text. */
  decode() {
    const started = performance.now();
    const json = JSON.stringify(records);
    const stringify = performance.now() - started;
    const [objects, text] = window.wasmBindings.bench_decode(records, json);
    return { objects, stringify, text };
  },
};
