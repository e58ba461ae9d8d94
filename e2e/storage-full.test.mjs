// When the browser's storage for the site is full, a command fails with a message that says
// what to do, nothing of it is written, what the seller typed is kept, and everything
// already saved stays readable.
//
// A full disk is simulated the way Chromium reports one: the readwrite transaction is
// aborted as it commits, with a QuotaExceededError as the transaction's error. (Chromium's
// `Storage.overrideQuotaForOrigin` does not refuse writes to a database that already has
// room allocated, so it cannot fill the disk for an open app.)
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrder, dashboardTiles, orderRows, storedEventCount, withApp } from './support.mjs';

const app = withApp();
let page;
beforeEach(async () => {
  ({ page } = app);
  await page.addInitScript(() => {
    const commit = IDBTransaction.prototype.commit;
    IDBTransaction.prototype.commit = function commitUnlessFull() {
      if (!(window.diskFull && this.mode === 'readwrite')) return commit.call(this);
      const full = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      Object.defineProperty(this, 'error', { get: () => full });
      return this.abort();
    };
  });
  await page.reload();
  await page.getByRole('button', { name: 'Create order' }).waitFor();
});

const setDiskFull = (full) => page.evaluate((full) => { window.diskFull = full; }, full);

const field = (name) => page.getByRole('textbox', { name, exact: true });
const refusal = () => page.getByRole('alert').filter({ hasText: 'storage for orderlog is full, so nothing was saved' });

test('a full storage refuses each command whole, says what to do, keeps what was typed, and reads go on', async () => {
  await createOrder(page, { customer: 'Ada Lovelace', quantity: '2', unitPrice: '3' });
  let stored = await storedEventCount(page);

  await setDiskFull(true);
  await field('Customer').fill('Grace Hopper');
  await field('SKU').fill('TEA-1');
  await field('Unit price').fill('5');
  await page.getByRole('button', { name: 'Create order' }).click();
  await refusal().waitFor();
  assert.match(await refusal().innerText(), /Download a backup \(Import page\)/);
  assert.equal(await storedEventCount(page), stored, 'nothing of the refused order was written');
  assert.deepEqual(await orderRows(page, ['Customer', 'Total']), [['Ada Lovelace', '6.00']]);
  assert.equal(await field('Customer').inputValue(), 'Grace Hopper', 'what was typed is kept');

  // Space again: the same form, as it was left, goes through.
  await setDiskFull(false);
  await page.getByRole('button', { name: 'Create order' }).click();
  await page.getByRole('row').filter({ hasText: 'Grace Hopper' }).waitFor();
  assert.deepEqual(await orderRows(page, ['Customer', 'Total']), [['Grace Hopper', '5.00'], ['Ada Lovelace', '6.00']]);
  assert.equal(await refusal().count(), 0, 'the refusal is gone once the order is saved');

  // On an order's page: placing it (which also reserves stock) is refused whole too.
  stored = await storedEventCount(page);
  await page.getByRole('link', { name: '#1001', exact: true }).click();
  await page.getByRole('heading', { name: 'Order #1001' }).waitFor();
  await setDiskFull(true);
  await page.getByRole('button', { name: 'Place order' }).click();
  await refusal().waitFor();
  assert.equal(await storedEventCount(page), stored, 'nothing of the refused placing was written');
  assert.equal(await page.getByRole('region', { name: 'History' }).getByText('Order placed').count(), 0);

  await setDiskFull(false);
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByRole('region', { name: 'History' }).getByText('Order placed').waitFor();
  const tiles = await dashboardTiles(page);
  assert.deepEqual([tiles.Orders, tiles.Sales], ['1', '6.00']);
});
