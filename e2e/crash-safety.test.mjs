// A tab killed in the middle of a long import leaves whole orders or nothing of them, and
// on the next start the views match a rebuild from the log.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { shopifyCsv } from '../bench/shopify-csv.mjs';
import { dashboardTiles, storedEventCount, withApp } from './support.mjs';

const ORDERS = 3_000; // four lines of 2 × 5.00 each: every whole order is 8 units and 40.00
const app = withApp();
let site;
let browser;
let page;
beforeEach(() => {
  ({ site, browser, page } = app);
});

/** Opens the app in `tab` and waits until it has read the whole log (its form is enabled). */
async function opened(tab) {
  await tab.goto(site.url);
  await tab.getByText('Loading orders…').waitFor({ state: 'hidden', timeout: 60_000 });
  await tab.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Create order' && !b.disabled));
}

test('a tab killed mid-import leaves whole orders, and views that match a rebuild', async () => {
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel('Shopify orders CSV').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(shopifyCsv(ORDERS)) });
  await page.getByRole('button', { name: `Import ${ORDERS} orders` }).click();
  // Kill the renderer once some chunks are in and more are coming.
  await page.waitForFunction(() => {
    const bar = document.querySelector('progress[aria-label="Imported"]');
    return bar && Number(bar.value) > 2_000 && Number(bar.value) < Number(bar.max) / 2;
  }, null, { polling: 10, timeout: 60_000 });
  const cdp = await page.context().newCDPSession(page);
  const crashed = page.waitForEvent('crash');
  cdp.send('Page.crash').catch(() => {}); // never answers: the session dies with the renderer
  await crashed;

  const next = await browser.context.newPage();
  await opened(next);
  const events = await storedEventCount(next);
  assert.ok(events > 0, 'what was written before the cut is kept');

  const tiles = await dashboardTiles(next);
  const figure = (title) => Number(tiles[title].replaceAll(',', ''));
  const orders = figure('Orders');
  assert.ok(orders > 0 && orders < ORDERS, `cut midway: ${orders} orders`);
  assert.equal(figure('Units'), 8 * orders, 'every order has all its lines');
  assert.equal(figure('Sales'), 40 * orders, 'and all its money');

  // The views the next start showed are the log's: the same as a rebuild from nothing.
  await next.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('orderlog');
    open.onsuccess = () => {
      const tx = open.result.transaction('read_models', 'readwrite');
      tx.objectStore('read_models').clear();
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }));
  await opened(next);
  assert.deepEqual(await dashboardTiles(next), tiles);
});
