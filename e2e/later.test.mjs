// The views loaded when first opened (src/ui/later.rs): the orders list works from the first
// download alone, a view whose code does not arrive says so and the app carries on, and the
// view opens once its code can be fetched again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { axeViolations, createOrder, launchBrowser, openView, orderRows, serveStatic } from './support.mjs';

const DIST = process.env.ORDERLOG_DIST ?? 'dist';
const SPLIT = /\/(split|chunk)_[^/]*\.wasm$/;

/**
 * Runs `run(page, site)` on the build with no service worker, so every file comes from the
 * network (where a test may refuse or hold the views' code); fails on any page error.
 */
async function withoutWorker(run) {
  const site = await serveStatic(DIST);
  const browser = await launchBrowser({ serviceWorkers: 'block' });
  try {
    await run(await browser.context.newPage(), site);
  } finally {
    await browser.close();
    await site.close();
  }
  assert.deepEqual(browser.errors, [], 'the page threw no errors');
}

test('the orders list needs no view loaded later; a view that cannot load says so, then loads', () => withoutWorker(async (page, site) => {
  // No service worker: every file comes from the network, where the views' code is refused.
  const refused = [];
  await page.route(SPLIT, (route) => {
    refused.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  await page.goto(site.url);
  await page.getByRole('button', { name: 'Create order' }).waitFor();
  await createOrder(page, { customer: 'Ada Lovelace', unitPrice: '4.50' });
  assert.deepEqual(await orderRows(page), [['#1001', 'Ada Lovelace', '1', '4.50']]);

  await openView(page, 'Dashboard');
  const heading = page.getByRole('heading', { name: 'This view could not be loaded', level: 2 });
  await heading.waitFor();
  await page.getByRole('alert').filter({ hasText: 'Its part of orderlog did not arrive' }).waitFor();
  assert.ok(refused.some((url) => /\/split_[a-z_]+-[0-9a-f]+\.wasm$/.test(url)), "a view's code was asked for, and refused");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'This view could not be loaded');
  assert.deepEqual(await axeViolations(page), []);

  // The rest of the app carries on: the orders list, and the order written.
  await openView(page, 'Orders');
  assert.deepEqual(await orderRows(page), [['#1001', 'Ada Lovelace', '1', '4.50']]);

  // Back online, a view opened again is fetched again (a failure is not kept).
  await page.unroute(SPLIT);
  await openView(page, 'Customers');
  await page.getByRole('heading', { name: 'Customers', level: 2 }).waitFor();
  await openView(page, 'Dashboard');
  await page.getByRole('heading', { name: 'Dashboard', level: 2 }).waitFor();
}));

test('a view that could not load offers a reload, which opens it', () => withoutWorker(async (page, site) => {
  await page.route(SPLIT, (route) => route.abort('internetdisconnected'));
  await page.goto(`${site.url}settings`);
  await page.getByRole('heading', { name: 'This view could not be loaded', level: 2 }).waitFor();
  await page.unroute(SPLIT);
  await page.getByRole('button', { name: 'Reload orderlog' }).click();
  await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor();
}));

test('a view whose code is on its way says so, and shows once it arrives', () => withoutWorker(async (page, site) => {
  let arrive;
  const arrived = new Promise((resolve) => { arrive = resolve; });
  await page.route(SPLIT, async (route) => {
    await arrived;
    await route.continue();
  });
  await page.goto(site.url);
  await page.getByRole('button', { name: 'Create order' }).waitFor();
  // Not openView: it waits for the view to arrive.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Products', exact: true }).click();
  const loading = page.getByRole('status').filter({ hasText: 'Loading the view…' });
  await loading.waitFor();
  assert.deepEqual(await axeViolations(page), []);
  // Meanwhile the view before stays, and works.
  assert.equal(await page.getByRole('button', { name: 'Create order' }).isEnabled(), true);
  arrive();
  await page.getByRole('heading', { name: 'Products', level: 2 }).waitFor();
  await loading.waitFor({ state: 'detached' });
  // Fetched once: the next opening is at once, with nothing said.
  await openView(page, 'Orders');
  await openView(page, 'Products');
  await page.getByRole('heading', { name: 'Products', level: 2 }).waitFor();
  assert.equal(await loading.count(), 0);
}));

test("on a first visit the views' code is downloaded once: by the service worker, not again by the page", async () => {
  const site = await serveStatic(DIST);
  // In front of the site: counts each path asked for, and serves the views' code slowly, so
  // the worker is still caching the build while the page, its orders shown, is idle.
  const asked = new Map();
  const host = createServer(async (request, response) => {
    const path = new URL(request.url, site.url).pathname;
    asked.set(path, (asked.get(path) ?? 0) + 1);
    if (SPLIT.test(path)) await new Promise((resolve) => setTimeout(resolve, 1_500));
    const upstream = await fetch(new URL(request.url, site.url));
    response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise((ready) => host.listen(0, '127.0.0.1', ready));
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.goto(`http://127.0.0.1:${host.address().port}/`);
    await page.getByRole('button', { name: 'Create order' }).waitFor();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
    await openView(page, 'Dashboard');
    await page.getByRole('heading', { name: 'Dashboard', level: 2 }).waitFor();
    const views = [...asked].filter(([path]) => SPLIT.test(path));
    assert.ok(views.length > 1, 'the worker cached the views\' code');
    assert.deepEqual(views.filter(([, count]) => count !== 1), [], 'each file asked for once');
  } finally {
    await browser.close();
    await new Promise((done) => host.close(done));
    await site.close();
  }
  assert.deepEqual(browser.errors, [], 'the page threw no errors');
});
