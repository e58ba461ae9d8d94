// Measures opening the app with 100,000 demo orders stored (persistent profile), with and
// without the saved read models.
import { serveStatic } from '/work/main/e2e/support.mjs';
import { chromium } from 'playwright-core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const site = await serveStatic('/work/main/dist');
const profile = await mkdtemp(join(tmpdir(), 'orderlog-cold-'));
const args = ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'];
let ctx = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args });
let page = await ctx.newPage();
await page.goto(site.url);
await page.getByRole('button', { name: 'Create order' }).waitFor();
await page.getByRole('link', { name: 'Dashboard' }).click();
await page.getByRole('textbox', { name: 'Demo orders' }).fill('100000');
let t = Date.now();
await page.getByRole('button', { name: 'Load demo data' }).click();
await page.getByText(/^Demo shop loaded|could not/).waitFor({ timeout: 1200000 });
console.log('load 100k demo orders ms', Date.now() - t, await page.getByText(/^Demo shop loaded|could not/).innerText());
const events = await page.evaluate(() => new Promise(r => { const o = indexedDB.open('orderlog'); o.onsuccess = () => { const c = o.result.transaction('events').objectStore('events').count(); c.onsuccess = () => r(c.result); }; }));
console.log('events stored', events);
// cold start without saved read models: delete them
await page.evaluate(() => new Promise(r => { const o = indexedDB.open('orderlog'); o.onsuccess = () => { const tx = o.result.transaction('read_models', 'readwrite'); tx.objectStore('read_models').clear(); tx.oncomplete = () => { o.result.close(); r(); }; }; }));
for (const label of ['without saved read models', 'after hiding saved them']) {
  t = Date.now();
  await page.reload();
  await page.getByRole('link', { name: 'Orders' }).waitFor();
  await page.getByRole('group', { name: 'Orders', exact: true }).locator('.value').filter({ hasNotText: /^0$/ }).waitFor({ timeout: 300000 });
  console.log(`open dashboard with 100k orders (${label}) ms`, Date.now() - t);
  await page.evaluate(() => { Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true }); document.dispatchEvent(new Event('visibilitychange')); });
  await page.waitForTimeout(15000);
}
await page.getByRole('link', { name: 'Orders', exact: true }).click();
t = Date.now();
await page.getByRole('searchbox', { name: 'Search orders' }).fill('raman');
await page.getByRole('region', { name: 'Orders' }).getByRole('status').filter({ hasNotText: '100000 orders' }).waitFor();
console.log('search 100k ms', Date.now() - t);
await ctx.close(); await site.close();
