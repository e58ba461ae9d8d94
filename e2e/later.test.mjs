// The code loaded when first needed (src/ui/later.rs, the write side in src/app/commands.rs):
// the orders list shows from the first download alone, a view or a change whose code does
// not arrive says so (and a change writes nothing), the app carries on, and both work once
// the code can be fetched again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { axeViolations, createOrder, forward, launchBrowser, openView, orderRows, serveStatic } from './support.mjs';

const DIST = process.env.ORDERLOG_DIST ?? 'dist';
const SPLIT = /\/(split|chunk)_[^/]*\.wasm$/;

/**
 * The files the build's loader (`__wasm_split-*.js`, written by wasm-split-cli) fetches for
 * `part`: its own module and every chunk it needs, by file name.
 */
async function partFiles(part) {
  const name = (await readdir(DIST)).find((file) => /^__wasm_split-[0-9a-f]+\.js$/.test(file));
  const loader = await readFile(join(DIST, name), 'utf8');
  const loads = new Map();
  for (const [, id, file, deps] of loader.matchAll(/(?:const|export const) (\w+) = (?:wrapAsyncCb\()?makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"[\s\S]*?\n, \[([^\]]*)\]\)/g)) {
    loads.set(id, { file, deps: deps.split(',').map((dep) => dep.trim()).filter(Boolean) });
  }
  const files = new Set();
  const add = (id) => {
    const load = loads.get(id);
    if (!load) throw new Error(`the loader ${name} has no ${id}`);
    if (files.has(load.file)) return;
    files.add(load.file);
    load.deps.forEach(add);
  };
  add(`__wasm_split_load_${part}`);
  return files;
}

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

test('the orders list needs no code loaded later; what cannot load says so, writes nothing, then loads', () => withoutWorker(async (page, site) => {
  // No service worker: every file comes from the network, where the code loaded later
  // (the views, and the write side) is refused.
  const refused = [];
  await page.route(SPLIT, (route) => {
    refused.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  await page.goto(site.url);
  await page.getByRole('button', { name: 'Create order' }).waitFor();
  await page.getByText('No orders yet.').waitFor();

  // The form is there, but the code that saves is not: the order is refused, in words, and
  // nothing is written.
  await page.getByRole('textbox', { name: 'Customer', exact: true }).fill('Ada Lovelace');
  await page.getByRole('textbox', { name: 'SKU', exact: true }).fill('TEA-1');
  await page.getByRole('textbox', { name: 'Unit price', exact: true }).fill('4.50');
  await page.getByRole('button', { name: 'Create order' }).click();
  await page.getByRole('alert').filter({ hasText: 'the part of orderlog that saves changes did not arrive' }).waitFor();
  assert.equal(await page.getByText('No orders yet.').count(), 1, 'no order was written');
  assert.deepEqual(await axeViolations(page), []);

  await openView(page, 'Dashboard');
  const heading = page.getByRole('heading', { name: 'This view could not be loaded', level: 2 });
  await heading.waitFor();
  await page.getByRole('alert').filter({ hasText: 'Its part of orderlog did not arrive' }).waitFor();
  assert.ok(refused.some((url) => /\/split_[a-z_]+-[0-9a-f]+\.wasm$/.test(url)), "a view's code was asked for, and refused");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'This view could not be loaded');
  assert.deepEqual(await axeViolations(page), []);

  // Back online, the order is taken and a view opened again is fetched again (a failure is
  // not kept).
  await page.unroute(SPLIT);
  await openView(page, 'Orders');
  await createOrder(page, { customer: 'Ada Lovelace', unitPrice: '4.50' });
  assert.deepEqual(await orderRows(page), [['#1001', 'Ada Lovelace', '1', '4.50']]);
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
  // The views' code is held; the write side's comes.
  const writes = await partFiles('writes');
  let arrive;
  const arrived = new Promise((resolve) => { arrive = resolve; });
  await page.route(SPLIT, async (route) => {
    if (!writes.has(new URL(route.request().url()).pathname.slice(1))) await arrived;
    await route.continue();
  });
  await page.goto(site.url);
  await page.getByRole('button', { name: 'Create order', disabled: false }).waitFor();
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

test("on a first visit each file is sent once: the views' code to the service worker alone, what the page had is revalidated", async () => {
  // The write side's code is the page's own to fetch once the orders show, so the first
  // order seldom waits for it; the worker, caching the build, asks again for what the page
  // has and is told it has not changed.
  const writes = await partFiles('writes');
  assert.ok(writes.size > 1, 'the write side is a part, with chunks');
  const site = await serveStatic(DIST);
  // In front of the site: counts, by path, each answer with a body and each 304, and serves
  // the views' code slowly, so the worker is still caching the build while the page, its
  // orders shown, is idle.
  const sent = new Map();
  const revalidated = new Map();
  const count = (counts, path) => counts.set(path, (counts.get(path) ?? 0) + 1);
  const host = createServer(async (request, response) => {
    const path = new URL(request.url, site.url).pathname;
    if (SPLIT.test(path)) await new Promise((resolve) => setTimeout(resolve, 1_500));
    const { status, headers, body } = await forward(request, site);
    count(status === 304 ? revalidated : sent, path);
    response.writeHead(status, headers).end(body);
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
    const split = [...sent.keys()].filter((path) => SPLIT.test(path));
    assert.ok(split.filter((path) => !writes.has(path.slice(1))).length > 1, "the worker cached the views' code");
    assert.deepEqual([...sent].filter(([, times]) => times !== 1), [], 'each file sent once');
    const main = [...sent.keys()].find((path) => path.endsWith('_bg.wasm'));
    assert.equal(revalidated.get(main), 1, "the worker's copy of the first download was revalidated");
    assert.deepEqual([...writes].filter((file) => !sent.has(`/${file}`)), [], "the write side's files were sent");
  } finally {
    await browser.close();
    await new Promise((done) => host.close(done));
    await site.close();
  }
  assert.deepEqual(browser.errors, [], 'the page threw no errors');
});
