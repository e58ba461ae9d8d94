// The footer tells whether the browser is online and how much storage the log takes; the
// app keeps working offline.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { orderRows, withApp } from './support.mjs';

const app = withApp();
let site;
let browser;
let page;
beforeEach(() => {
  ({ site, browser, page } = app);
});

test('going offline is shown, and orders are still created', async () => {
  // Offline from here on: once the service worker has kept the build (every file, the code
  // loaded later too), the page needs nothing from the network.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await page.getByRole('contentinfo').getByText('Online', { exact: true }).waitFor();
  await browser.context.setOffline(true);
  await page.getByRole('contentinfo').getByText(/^Offline: everything keeps working/).waitFor();

  await page.getByRole('textbox', { name: 'Customer', exact: true }).fill('Ada Lovelace');
  await page.getByRole('textbox', { name: 'SKU', exact: true }).fill('TEA-1');
  await page.getByRole('textbox', { name: 'Unit price', exact: true }).fill('2');
  await page.getByRole('button', { name: 'Create order' }).click();
  await page.getByRole('row').filter({ hasText: 'Ada Lovelace' }).waitFor();
  assert.deepEqual(await orderRows(page), [['#1001', 'Ada Lovelace', '1', '2.00']]);

  await browser.context.setOffline(false);
  await page.getByRole('contentinfo').getByText('Online', { exact: true }).waitFor();
});

test('the storage used and the quota are shown', async () => {
  const storage = page.getByRole('contentinfo').getByText(/^Storage: .* of .* used/);
  await storage.waitFor();
  assert.match(await storage.innerText(), /^Storage: [\d.]+ (B|kB|MB) of [\d.]+ (MB|GB|TB) used \(/);
});
