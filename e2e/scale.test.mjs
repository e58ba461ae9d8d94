// Ten thousand orders: the demo loader fills the store through real commands, and the orders
// list still opens, pages and filters. Times are printed for the closing note, never
// asserted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, orderRows, serveStatic } from './support.mjs';

const ORDERS = 10_000;
let site;
let browser;
let page;

before(async () => {
  site = await serveStatic(process.env.ORDERLOG_DIST ?? 'dist');
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.goto(site.url);
  await page.getByRole('button', { name: 'Create order' }).waitFor();
});
after(async () => {
  await browser.close();
  await site.close();
  assert.deepEqual(browser.errors, [], 'the page threw no errors');
});

async function timed(label, work) {
  const started = performance.now();
  const result = await work();
  console.log(`FIGURE ${label}: ${Math.round(performance.now() - started)} ms`);
  return result;
}

const summary = () => page.getByRole('region', { name: 'Orders' }).getByRole('status');

test('ten thousand orders load, and the list opens, pages and filters', { timeout: 600_000 }, async () => {
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await page.getByRole('textbox', { name: 'Demo orders' }).fill(String(ORDERS));
  await timed(`load ${ORDERS} demo orders through commands`, async () => {
    await page.getByRole('button', { name: 'Load demo data' }).click();
    await page.getByRole('status').filter({ hasText: /^Done: the demo shop/ }).waitFor({ timeout: 600_000 });
  });
  assert.ok(Number(await page.getByRole('group', { name: 'Orders', exact: true }).locator('.value').innerText().then((text) => text.replaceAll(',', ''))) > 0, 'the Orders tile, its thousands grouped, counts them');

  await timed('open the orders list', async () => {
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await summary().filter({ hasText: `${ORDERS} orders` }).waitFor();
  });
  assert.equal((await orderRows(page)).length, 50, 'fifty rows a page');
  assert.equal(await page.getByText(`Page 1 of ${ORDERS / 50}`).count(), 1);

  const firstPage = await orderRows(page);
  await timed('next page', async () => {
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText(`Page 2 of ${ORDERS / 50}`).waitFor();
  });
  const secondPage = await orderRows(page);
  assert.notDeepEqual(secondPage, firstPage);

  await timed('filter: cancelled', async () => {
    await page.getByRole('combobox', { name: 'Status' }).selectOption('Cancelled');
    await page.getByText('Page 1 of').waitFor();
    await summary().filter({ hasNotText: `${ORDERS} orders` }).waitFor();
  });
  const cancelled = await orderRows(page, ['Fulfilment']);
  assert.ok(cancelled.length > 0);
  assert.ok(cancelled.every(([fulfilment]) => fulfilment === 'cancelled'), JSON.stringify(cancelled.slice(0, 5)));

  await page.getByRole('combobox', { name: 'Status' }).selectOption('All orders');
  await summary().filter({ hasText: `${ORDERS} orders` }).waitFor();
  const before = await summary().innerText();
  await timed('search a customer', async () => {
    await page.getByRole('searchbox', { name: 'Search orders' }).fill('raman');
    await summary().filter({ hasNotText: before }).waitFor();
  });
  const found = await orderRows(page, ['Customer']);
  assert.ok(found.length > 0, 'some orders are Priya Raman’s');
  assert.ok(found.every(([customer]) => /raman/i.test(customer)), JSON.stringify(found.slice(0, 5)));
});
