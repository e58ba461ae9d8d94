// The installable, offline app: the service worker precaches the build and controls the
// page; with the server stopped and the network off, the app opens, takes orders and keeps
// them; a new build is offered to an open page, which reloads into it with its data intact.
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, orderRows, serveStatic } from './support.mjs';

const DIST = process.env.ORDERLOG_DIST ?? 'dist';
let build;
let site;
let browser;
let page;

beforeEach(async () => {
  // A copy of the build per test, so that a test may stop its server or ship a new build.
  build = await mkdtemp(join(tmpdir(), 'orderlog-build-'));
  await cp(DIST, build, { recursive: true });
  site = await serveStatic(build);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.goto(site.url);
  await page.getByRole('button', { name: 'Create order' }).waitFor();
  // The first visit installs the worker, which takes control of the page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
});
afterEach(async () => {
  await browser.close();
  await site.close(); // closing a stopped server again is harmless
  await rm(build, { recursive: true, force: true });
  assert.deepEqual(browser.errors, [], 'the page threw no errors');
});
async function createAndPay(customer) {
  await page.getByRole('textbox', { name: 'Customer', exact: true }).fill(customer);
  await page.getByRole('textbox', { name: 'SKU', exact: true }).fill('TEA-1');
  await page.getByRole('textbox', { name: 'Quantity', exact: true }).fill('2');
  await page.getByRole('textbox', { name: 'Unit price', exact: true }).fill('5');
  await page.getByRole('button', { name: 'Create order' }).click();
  const row = page.getByRole('table', { name: 'Orders' }).getByRole('row').filter({ hasText: customer });
  await row.getByRole('link').click();
  await page.getByRole('button', { name: 'Place order', exact: true }).click();
  await page.getByText('Order placed').waitFor();
  await page.getByRole('textbox', { name: 'Payment amount', exact: true }).fill('10');
  await page.getByRole('button', { name: 'Record payment', exact: true }).click();
  await page.getByText('Payment of 10.00 USD received').waitFor();
}

async function paymentColumn() {
  await page.getByRole('link', { name: 'Orders', exact: true }).click();
  return orderRows(page, ['Customer', 'Payment', 'Balance due']);
}

test('the app is installable: a valid manifest, and a service worker controls the page', async () => {
  const cdp = await page.context().newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifest.errors, [], 'the manifest parses without errors');
  const parsed = JSON.parse(manifest.data);
  assert.equal(parsed.short_name, 'orderlog');
  assert.equal(parsed.display, 'standalone');
  assert.ok(parsed.icons.some((icon) => icon.sizes === '512x512'), 'a 512 px icon');
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], 'Chromium finds nothing in the way of installing');
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, site.url);
});

test('with the server stopped and the network off, the app opens, takes and keeps orders', async () => {
  await site.close();
  await browser.context.setOffline(true);
  await page.reload();
  await page.getByRole('button', { name: 'Create order' }).waitFor();
  await page.getByRole('contentinfo').getByText(/^Offline: everything keeps working/).waitFor();

  await createAndPay('Ada Lovelace');
  await page.reload(); // on the order's own page: a route, served by the worker too
  await page.getByText('Payment of 10.00 USD received').waitFor();
  assert.deepEqual(await paymentColumn(), [['Ada Lovelace', 'paid', '0.00']]);
  // Every route of the app opens offline, not only the first page.
  await page.goto(`${site.url}dashboard`);
  await page.getByRole('group', { name: 'Orders', exact: true }).getByText('1', { exact: true }).waitFor();
});

test('a new build is offered to an open page, which reloads into it with its data', async () => {
  await createAndPay('Grace Hopper');
  const cachesBefore = await page.evaluate(() => caches.keys());
  // Ship a new build: a changed page, and the worker written for it as the build writes it.
  const index = join(build, 'index.html');
  await writeFile(index, (await readFile(index, 'utf8')).replace('<head>', '<head><meta name="orderlog-build" content="next" />'));
  execFileSync('node', ['pwa/post-build.mjs', build]);

  // The app looks for a new build when it is shown again.
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  const offer = page.getByRole('status').filter({ hasText: 'A new version of orderlog is ready.' });
  await offer.waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('meta[name="orderlog-build"]').count(), 0, 'the page still runs the build it started with');

  await Promise.all([page.waitForEvent('load'), offer.getByRole('button', { name: 'Reload to update' }).click()]);
  await page.getByText('Payment of 10.00 USD received').waitFor();
  assert.equal(await page.locator('meta[name="orderlog-build"]').getAttribute('content'), 'next');
  assert.deepEqual(await paymentColumn(), [['Grace Hopper', 'paid', '0.00']]);
  assert.equal(await offer.count(), 0, 'nothing more to offer');
  // The new worker deletes the old build's cache as it takes over.
  await page.waitForFunction(async () => (await caches.keys()).length === 1);
  const cachesAfter = await page.evaluate(() => caches.keys());
  assert.notDeepEqual(cachesAfter, cachesBefore, 'the old build’s cache is gone');
});
