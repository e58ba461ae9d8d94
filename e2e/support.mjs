// Shared harness for the user-flow tests: serves the release build (dist/) on 127.0.0.1 and
// launches Debian's Chromium through playwright-core with a fresh on-disk profile.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, afterEach, before, beforeEach } from 'node:test';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { shopifyCsv } from '../bench/shopify-csv.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Serves `dir` as a static site on `listenPort` (0: any free one); resolves to { url, close }.
 * As common static hosts do, each file carries a validator (an ETag of its size and time) and
 * `Cache-Control: no-cache`: a browser asks again each time, and a file it already has is
 * answered 304 with no body.
 */
export async function serveStatic(dir, listenPort = 0) {
  const root = resolve(dir);
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    // Paths without an extension are the app's routes: like any single-page host, answer
    // them with index.html.
    const target = extname(file) === '' ? join(root, 'index.html') : file;
    try {
      const body = await readFile(target);
      const { mtimeMs } = await stat(target);
      const etag = `"${body.length.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
      const headers = { etag, 'cache-control': 'no-cache' };
      if (request.headers['if-none-match'] === etag) {
        response.writeHead(304, headers).end();
        return;
      }
      response.writeHead(200, { ...headers, 'content-type': TYPES[extname(target)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((ready) => server.listen(listenPort, '127.0.0.1', ready));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((done) => server.close(done)),
  };
}

/**
 * `request`, made to a proxy in front of `site`, asked of `site` with its validator (a host
 * in front of another passes it on): the answer's status, the headers a host sends (type,
 * validator, caching) and its body.
 */
export async function forward(request, site) {
  const asked = request.headers['if-none-match'];
  const upstream = await fetch(new URL(request.url, site.url), { headers: asked ? { 'if-none-match': asked } : {} });
  const headers = Object.fromEntries(['content-type', 'etag', 'cache-control']
    .filter((name) => upstream.headers.has(name))
    .map((name) => [name, upstream.headers.get(name)]));
  return { status: upstream.status, headers, body: Buffer.from(await upstream.arrayBuffer()) };
}

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * A browser with its own new profile directory, so every test starts with an empty
 * IndexedDB (or with the `profile` of an earlier one, to open it again). Page errors are
 * collected in `errors`: a test fails on any of them. `serviceWorkers: 'block'` stops the app
 * from registering its service worker; one an earlier session of the profile registered still
 * answers, unless its files are deleted first (as the mid-upgrade test does). `locale` and
 * `timezoneId` set the browser's language and zone (its own, not the shop's).
 */
export async function launchBrowser({ profile: kept, serviceWorkers = 'allow', locale, timezoneId } = {}) {
  const profile = kept ?? (await mkdtemp(join(tmpdir(), 'orderlog-e2e-')));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    serviceWorkers,
    ...(locale ? { locale } : {}),
    ...(timezoneId ? { timezoneId } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const errors = [];
  context.on('page', (page) => page.on('pageerror', (error) => errors.push(error.message)));
  return {
    context,
    errors,
    profile,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The orders table's body rows, each as the text of the named columns (by default the
 * order's number, customer, items and total), in the order shown.
 */
export async function orderRows(page, columns = ['Order', 'Customer', 'Items', 'Total']) {
  const table = page.getByRole('table', { name: 'Orders' });
  const headers = (await table.locator('thead th').allInnerTexts()).map((h) => h.replace(/[▲▼]/g, '').trim());
  const wanted = columns.map((name) => {
    const index = headers.indexOf(name);
    if (index < 0) throw new Error(`no column ${name} in ${headers.join(', ')}`);
    return index;
  });
  const texts = [];
  for (const row of await table.locator('tbody tr').all()) {
    const cells = await row.locator('th, td').allInnerTexts();
    texts.push(wanted.map((index) => cells[index]));
  }
  return texts;
}

/**
 * Fills the new-order form as a seller would and waits for the order's row: the customer, a
 * SKU, and the quantity and unit price as typed (the form's defaults when left out).
 */
export async function createOrder(page, { customer, sku = 'TEA-1', quantity, unitPrice = '2' }) {
  await page.getByRole('textbox', { name: 'Customer', exact: true }).fill(customer);
  await page.getByRole('textbox', { name: 'SKU', exact: true }).fill(sku);
  if (quantity !== undefined) {
    await page.getByRole('textbox', { name: 'Quantity', exact: true }).fill(quantity);
  }
  await page.getByRole('textbox', { name: 'Unit price', exact: true }).fill(unitPrice);
  await page.getByRole('button', { name: 'Create order' }).click();
  await page.getByRole('row').filter({ hasText: customer }).waitFor();
}

/**
 * Damages the app's IndexedDB behind its back: each event in `breakPayload` (by seq) gets a
 * payload that no longer parses, each in `remove` is taken out of its page (a gap). The
 * saved read models are dropped, so the next start reads the log again. (The page's
 * Content-Security-Policy rules out sending code, hence the description.)
 */
export async function damageStore(page, { breakPayload = [], remove = [] }) {
  await page.evaluate(
    ({ breakPayload, remove }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('orderlog');
        open.onsuccess = () => {
          const tx = open.result.transaction(['pages', 'read_models'], 'readwrite');
          const pages = tx.objectStore('pages');
          const all = pages.getAll();
          all.onsuccess = () => {
            for (const stored of all.result) {
              const events = JSON.parse(stored.events)
                .filter((event) => !remove.includes(event.seq))
                .map((event) =>
                  breakPayload.includes(event.seq) ? { ...event, payload: '{"customer": "Grace' } : event,
                );
              pages.put({ ...stored, events: JSON.stringify(events) });
            }
          };
          tx.objectStore('read_models').clear();
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { breakPayload, remove },
  );
}

/**
 * In a page of the app's origin: rewrites the app's database as schema 2 left it, one record
 * per event in an `events` store, holding the events of its pages. Returns how many.
 */
export function rewriteAsSchema2() {
  const request = (req) => new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
  return (async () => {
    const current = await request(indexedDB.open('orderlog'));
    const pages = await request(current.transaction('pages').objectStore('pages').getAll());
    current.close();
    const events = pages.flatMap((page) => JSON.parse(page.events));
    await request(indexedDB.deleteDatabase('orderlog'));
    const open = indexedDB.open('orderlog', 2);
    open.onupgradeneeded = () => {
      const db = open.result;
      const store = db.createObjectStore('events', { keyPath: 'seq' });
      store.createIndex('stream', ['stream_id', 'stream_version'], { unique: true });
      store.createIndex('command_id', 'command_id');
      db.createObjectStore('snapshots', { keyPath: 'stream_id' });
      db.createObjectStore('read_models', { keyPath: 'name' });
    };
    const db = await request(open);
    const tx = db.transaction('events', 'readwrite');
    for (const event of events) tx.objectStore('events').add(event);
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    db.close();
    return events.length;
  })();
}

/**
 * One read of a store of the app's IndexedDB with the plain IndexedDB API: `method` is
 * `count`, `getAll` or `getAllKeys`. A store the database does not have yet reads as empty.
 * (Named, not passed as code: the page's Content-Security-Policy forbids eval.)
 */
export async function readAppStore(page, store, method) {
  return page.evaluate(
    ([store, method]) =>
      new Promise((done, fail) => {
        const open = indexedDB.open('orderlog');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(store)) {
            db.close();
            done(method === 'count' ? 0 : []);
            return;
          }
          const read = db.transaction(store).objectStore(store)[method]();
          read.onsuccess = () => {
            db.close();
            done(read.result);
          };
          read.onerror = () => fail(read.error);
        };
      }),
    [store, method],
  );
}

/**
 * The events the app's IndexedDB holds, in seq order, read with the plain IndexedDB API: its
 * pages, each holding the events of one append as JSON text.
 */
export async function storedEvents(page) {
  const pages = await readAppStore(page, 'pages', 'getAll');
  return pages.flatMap((stored) => JSON.parse(stored.events));
}

/** How many events the app's IndexedDB holds. */
export async function storedEventCount(page) {
  return (await storedEvents(page)).length;
}

/**
 * The Orders figure of a shop the generated export (bench/shopify-csv.mjs) made, from its
 * dashboard's `tiles`, checked to be whole orders: four lines of 2 × 5.00 each, so 8 units and
 * 40.00 an order.
 */
export function wholeGeneratedOrders(tiles) {
  const figure = (title) => Number(tiles[title].replaceAll(',', ''));
  const orders = figure('Orders');
  assert.equal(figure('Units'), 8 * orders, 'every order has all its lines');
  assert.equal(figure('Sales'), 40 * orders, 'and all its money');
  return orders;
}

/**
 * Imports `orders` orders of the generated export (bench/shopify-csv.mjs) in `page`, from the
 * Import page, and waits until it says done.
 */
export async function importGeneratedOrders(page, orders, { timeout = 120_000 } = {}) {
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel('Shopify orders CSV').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(shopifyCsv(orders)) });
  await page.getByRole('button', { name: `Import ${orders} orders` }).click();
  await page.getByRole('status').filter({ hasText: /^Done: the import wrote/ }).waitFor({ timeout });
}

/** The accessible description of a control: here, the error shown beside a field. */
export async function descriptionOf(locator) {
  return locator.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ')
      .trim(),
  );
}

/**
 * A browser of its own in `locale` (its own zone `timezoneId`, UTC unless given, so only the
 * shop's zone moves a day), its clock stopped at `now` if given, with the app at `site` open
 * and ready; closed after `run`, failing on any page error.
 */
export async function withBrowser(site, { locale, timezoneId = 'UTC', now, viewport } = {}, run) {
  const browser = await launchBrowser({ locale, timezoneId });
  try {
    if (now) await browser.context.clock.setFixedTime(now);
    const page = await browser.context.newPage();
    if (viewport) await page.setViewportSize(viewport);
    await page.goto(site.url);
    await page.getByRole('button', { name: 'Create order' }).waitFor();
    await run(page);
  } finally {
    await browser.close();
  }
  assert.deepEqual(browser.errors, [], 'the page threw no errors');
}

/**
 * The hooks most flows share: the release build served once, and for each test a browser of
 * its own with the app open and ready (its Create order button shown), closed afterwards,
 * failing the test on any page error. Returns the live `{ site, browser, page }`.
 */
export function withApp() {
  const app = {};
  before(async () => {
    app.site = await serveStatic(process.env.ORDERLOG_DIST ?? 'dist');
  });
  after(async () => {
    await app.site.close();
  });
  beforeEach(async () => {
    app.browser = await launchBrowser();
    app.page = await app.browser.context.newPage();
    await app.page.goto(app.site.url);
    await app.page.getByRole('button', { name: 'Create order' }).waitFor();
  });
  afterEach(async () => {
    await app.browser.close();
    assert.deepEqual(app.browser.errors, [], 'the page threw no errors');
  });
  return app;
}

/** The dashboard's KPI tiles, each a group named exactly by its title. */
export const TILES = ['Orders', 'Cancelled', 'Open orders', 'Sales', 'Refunds', 'Net sales', 'Collected', 'Outstanding', 'Average order value', 'Units'];

/** Opens the dashboard and reads every tile's value, by the tile's accessible name. */
export async function dashboardTiles(page) {
  await openView(page, 'Dashboard');
  const figures = {};
  for (const title of TILES) {
    figures[title] = await page.getByRole('group', { name: title, exact: true }).locator('.value').innerText();
  }
  return figures;
}

/** Loads `orders` demo orders from the dashboard and waits for the load to end. */
export async function loadDemo(page, site, orders) {
  await page.goto(`${site.url}dashboard`);
  await page.getByRole('textbox', { name: 'Demo orders' }).fill(String(orders));
  await page.getByRole('button', { name: 'Load demo data' }).click();
  await page.getByRole('status').filter({ hasText: /^Done: the demo shop wrote \d+ events\.$/ }).waitFor({ timeout: 60_000 });
}

/**
 * Opens a view from the navigation as a seller would: through the menu button on a narrow
 * screen (checking it opens, and closes with the new view).
 */
export async function openView(page, name) {
  const menu = page.getByRole('button', { name: 'Menu' });
  const narrow = await menu.isVisible();
  if (narrow) {
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  }
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name, exact: true }).click();
  if (narrow) assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'a new view closes the menu');
  // A view loaded when first opened: the one before stays until its code is in.
  await page.getByRole('status').filter({ hasText: 'Loading the view…' }).waitFor({ state: 'detached' });
}

const AXE = readFile(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

/** axe-core's violations on the page as it is now, one line each with the first elements. */
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol: the page's own policy allows no injected script.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(await AXE);
  const { violations: found } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return found.map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}
