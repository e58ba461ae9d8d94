// The read side is saved with its checkpoint when the page is hidden, and a start reads the
// saved copy and replays only the events after it; a copy that does not fit is rebuilt.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrder, orderRows, readAppStore, withApp } from './support.mjs';

const app = withApp();
let site;
let browser;
let page;
beforeEach(() => {
  ({ site, browser, page } = app);
});

/** Makes the page report itself hidden, as when the user switches tabs. */
async function hidePage() {
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

/**
 * Reads the saved part of the read side that holds the first orders' folds (the read models
 * come first, in `read_models`) and, given a `change`, rewrites it: its state text with
 * `change.replace` ([from, to]) applied, and its version set to `change.version`.
 * (Data, not code: the page's Content-Security-Policy forbids eval.)
 */
async function savedOrders(change) {
  return page.evaluate(
    (change) =>
      new Promise((done, fail) => {
        const open = indexedDB.open('orderlog');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('read_models', 'readwrite');
          const store = tx.objectStore('read_models');
          const get = store.get('read_models#1');
          get.onsuccess = () => {
            const saved = get.result;
            if (saved && change) {
              store.put({
                ...saved,
                state: saved.state.replace(...change.replace),
                version: change.version ?? saved.version,
              });
            }
            tx.oncomplete = () => {
              db.close();
              done(saved ?? null);
            };
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
    change ?? null,
  );
}

async function until(check) {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const value = await check();
    if (value) return value;
    await new Promise((wait) => setTimeout(wait, 100));
  }
  throw new Error('timed out');
}

test('a start resumes from the saved copy and replays only the events after it', async () => {
  await createOrder(page, { customer: 'Ada Lovelace', quantity: '1' });
  await hidePage();
  const saved = await until(() => savedOrders());
  assert.equal(saved.checkpoint, 2, 'the order and its line');
  assert.ok(Number.isInteger(saved.version) && saved.version >= 1, 'saved with its projection version');

  // Mark the saved copy, so that the list shows whether it was used.
  await savedOrders({ replace: ['Ada Lovelace', 'Ada (from the saved copy)'] });
  await page.reload();
  await page.getByRole('button', { name: 'Create order' }).waitFor();
  await createOrder(page, { customer: 'Grace Hopper', quantity: '1' });
  await page.reload();
  await page.getByRole('row').filter({ hasText: 'Grace Hopper' }).waitFor();

  assert.deepEqual(await orderRows(page), [
    ['#1002', 'Grace Hopper', '1', '2.00'],
    ['#1001', 'Ada (from the saved copy)', '1', '2.00'],
  ]);
});

test('a saved copy of another projection version is ignored and the list rebuilt from the log', async () => {
  await createOrder(page, { customer: 'Ada Lovelace', quantity: '1' });
  await hidePage();
  await until(() => savedOrders());

  await savedOrders({ replace: ['Ada Lovelace', 'stale'], version: 0 });
  await page.reload();
  await page.getByRole('row').filter({ hasText: 'Ada Lovelace' }).waitFor();
  assert.deepEqual(await orderRows(page), [['#1001', 'Ada Lovelace', '1', '2.00']]);
});

/** The names of the saved read models in the app's database. */
const savedNames = () => readAppStore(page, 'read_models', 'getAllKeys');

test('the copies an earlier version saved, one per read model, are deleted at start', async () => {
  await createOrder(page, { customer: 'Ada Lovelace', quantity: '1' });
  const retired = ['dashboard', 'orders_list', 'products', 'stock_process'];
  await page.evaluate(
    (names) =>
      new Promise((done, fail) => {
        const open = indexedDB.open('orderlog');
        open.onsuccess = () => {
          const tx = open.result.transaction('read_models', 'readwrite');
          for (const name of names) {
            tx.objectStore('read_models').put({ name, version: 1, checkpoint: 2, checkpoint_hash: '', parts: 1, state: '{}' });
          }
          tx.oncomplete = () => {
            open.result.close();
            done();
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
    retired,
  );
  assert.deepEqual((await savedNames()).filter((name) => retired.includes(name)), retired);

  await page.reload();
  await page.getByRole('row').filter({ hasText: 'Ada Lovelace' }).waitFor();
  await until(async () => !(await savedNames()).some((name) => retired.includes(name)));
  assert.deepEqual(await orderRows(page), [['#1001', 'Ada Lovelace', '1', '2.00']]);
});
