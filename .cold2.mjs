import { serveStatic } from '/work/main/e2e/support.mjs';
import { chromium } from 'playwright-core';
const profile = process.argv[2];
const site = await serveStatic('/work/main/dist');
const args = ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'];
const ctx = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args });
const page = await ctx.newPage();
const longest = [];
await page.addInitScript(() => { window.__long = 0; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long = Math.max(window.__long, e.duration); }).observe({ type: 'longtask', buffered: true }); });
for (const clear of [true, false]) {
  if (clear) {
    await page.goto(site.url + 'dashboard');
    await page.getByRole('link', { name: 'Orders' }).waitFor();
    await page.evaluate(() => new Promise(r => { const o = indexedDB.open('orderlog'); o.onsuccess = () => { const tx = o.result.transaction('read_models', 'readwrite'); tx.objectStore('read_models').clear(); tx.oncomplete = () => { o.result.close(); r(); }; }; }));
  }
  const t = Date.now();
  await page.goto(site.url + 'dashboard');
  await page.getByText('Loading orders…').waitFor({ state: 'detached', timeout: 600000 });
  const ready = Date.now() - t;
  const orders = await page.getByRole('group', { name: 'Orders', exact: true }).locator('.value').innerText();
  console.log(`open /dashboard with the 100k-order shop ${clear ? 'without' : 'with'} saved read models: ${ready} ms to correct figures (Orders tile ${orders}); longest task ${Math.round(await page.evaluate(() => window.__long))} ms`);
  if (clear) {
    await page.evaluate(() => { Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true }); document.dispatchEvent(new Event('visibilitychange')); });
    await page.waitForTimeout(30000);
  }
}
await page.goto(site.url);
await page.getByText('Loading orders…').waitFor({ state: 'detached', timeout: 600000 });
for (const q of ['raman', 'TEA-EARL', '#150000']) {
  const t = Date.now();
  await page.getByRole('searchbox', { name: 'Search orders' }).fill(q);
  await page.getByRole('region', { name: 'Orders' }).getByRole('status').filter({ hasNotText: /^100000 orders$/ }).waitFor();
  console.log(`search ${q} over 100k orders: ${Date.now() - t} ms`, await page.getByRole('region', { name: 'Orders' }).getByRole('status').innerText());
}
await ctx.close(); await site.close();
