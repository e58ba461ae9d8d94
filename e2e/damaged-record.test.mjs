// A stored event that no longer parses (a damaged record): the app still starts, shows the
// rest of the orders, and says which event it left out.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { orderRows, withApp } from './support.mjs';

const app = withApp();
let page;
beforeEach(() => {
  ({ page } = app);
});

async function createOrder(customer) {
  await page.getByRole('textbox', { name: 'Customer', exact: true }).fill(customer);
  await page.getByRole('textbox', { name: 'SKU', exact: true }).fill('TEA-1');
  await page.getByRole('textbox', { name: 'Unit price', exact: true }).fill('2');
  await page.getByRole('button', { name: 'Create order' }).click();
  await page.getByRole('row').filter({ hasText: customer }).waitFor();
}

test('a damaged record is reported by its seq and left out; the other orders are shown', async () => {
  await createOrder('Ada Lovelace');
  await createOrder('Grace Hopper');
  // Event 3 is Grace's OrderCreated: break its payload in IndexedDB, and drop the saved views.
  await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('orderlog');
    open.onsuccess = () => {
      const tx = open.result.transaction(['events', 'read_models'], 'readwrite');
      const events = tx.objectStore('events');
      const get = events.get(3);
      get.onsuccess = () => events.put({ ...get.result, payload: '{"customer": "Grace' });
      tx.objectStore('read_models').clear();
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }));
  await page.reload();
  const banner = page.getByRole('alert').filter({ hasText: /^1 stored event could not be read/ });
  await banner.waitFor();
  assert.match(await banner.innerText(), /the first: event 3 \(.*OrderCreated/);
  assert.deepEqual(await orderRows(page, ['Customer']), [['Ada Lovelace']]);
});
