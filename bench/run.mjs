// The browser benchmark harness: runs each measurement in headless Chromium with on-disk
// profiles against the release build (ORDERLOG_DIST, dist/ unless set; the store's entry
// points from the build with the bench feature, target/bench/site), a fresh database per
// trial, warm-up trials first, and reports the median, min and max. Writes
// target/bench/results.json and target/bench/results.md. Asserts nothing about speed. Run
// through scripts/bench.
//
//   node bench/run.mjs [measurement …]     BENCH_TRIALS (10) and BENCH_WARMUP (1) set the counts,
//                                           BENCH_EVENTS (10000,100000) the store's sizes.
//   ORDERLOG_DIST=/path/to/site node bench/run.mjs visit   a first and a repeat visit on a
//                                           slow network and phone, against a build elsewhere.
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { dashboardTiles, forward, importGeneratedOrders, launchBrowser, rewriteAsSchema2, serveStatic } from '../e2e/support.mjs';
import { shopifyCsv } from './shopify-csv.mjs';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 10);
// The release build with the bench feature (scripts/bench builds it): the store's entry points.
const BENCH_SITE = process.env.BENCH_SITE ?? 'target/bench/site';
const STORE_SIZES = (process.env.BENCH_EVENTS ?? '10000,100000').split(',').map(Number);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const IMPORT_ORDERS = Number(process.env.BENCH_IMPORT_ORDERS ?? 15_000); // four rows each: a 60,000-row export

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs `trial` WARMUP + TRIALS times, each in a new browser, keeping the last TRIALS results. */
async function trials(site, trial) {
  const results = [];
  for (let n = 0; n < WARMUP + TRIALS; n++) {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(site.url);
      await page.getByRole('button', { name: 'Create order' }).waitFor();
      const result = await trial(page);
      if (browser.errors.length) throw new Error(`the page threw: ${browser.errors.join('; ')}`);
      if (n >= WARMUP) results.push(result);
      process.stderr.write(`  ${n < WARMUP ? 'warm-up' : 'trial'} ${n + 1}: ${JSON.stringify(result)}\n`);
    } finally {
      await browser.close();
    }
  }
  return results;
}

/** Each named figure of the trials as { median, min, max }. */
function summarise(results) {
  const figures = {};
  for (const key of Object.keys(results[0])) {
    const values = results.map((r) => r[key]);
    figures[key] = typeof values[0] === 'number'
      ? { median: median(values), min: Math.min(...values), max: Math.max(...values) }
      : values[0];
  }
  return figures;
}

/** Runs `round` WARMUP + TRIALS times and keeps the last TRIALS results. */
async function rounds(round) {
  const results = [];
  for (let n = 0; n < WARMUP + TRIALS; n++) {
    const result = await round();
    if (n >= WARMUP) results.push(result);
    process.stderr.write(`  ${n < WARMUP ? 'warm-up' : 'trial'} ${n + 1}: ${JSON.stringify(result)}\n`);
  }
  return results;
}

const round2 = (x) => Math.round(x * 100) / 100;

/**
 * The wasm and JS of a trunk build in `dir`: bytes raw and gzipped (level 9), each file
 * compressed alone. `wasm` is the first download's module; `later`, the split files
 * (scripts/split-wasm.mjs), fetched when first needed, and their loader.
 */
async function sizes(dir) {
  const files = await readdir(dir);
  const measure = async (matching) => {
    let raw = 0;
    let gzip = 0;
    for (const file of matching) {
      const bytes = await readFile(`${dir}/${file}`);
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    return { raw, gzip, files: matching.length };
  };
  const one = (pattern) => {
    const file = files.find((name) => pattern.test(name));
    if (!file) throw new Error(`no ${pattern} in ${dir}: build it first (scripts/bench does)`);
    return measure([file]);
  };
  const later = files.filter((name) => /^((split|chunk)_.*\.wasm|__wasm_split-.*\.js)$/.test(name));
  return { wasm: await one(/_bg\.wasm$/), js: await one(/^[^._]+-[0-9a-f]+\.js$/), later: await measure(later) };
}

const COLD_EVENTS = Number(process.env.BENCH_COLD_EVENTS ?? 100_000);
const PENDING_COMMANDS = Number(process.env.BENCH_PENDING_COMMANDS ?? 10_000);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 200);
const UI_ORDERS = Number(process.env.BENCH_UI_ORDERS ?? 100_000);

/** In the page, before the app: every long task (over 50 ms) as [start, duration]. */
function observeLongTasks() {
  window.longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.longTasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
}

/** The app with the bench feature's entry points, served with the floors' page script and Dexie. */
async function benchSite() {
  await copyFile('node_modules/dexie/dist/dexie.mjs', `${BENCH_SITE}/dexie.mjs`);
  await copyFile('bench/store-page.mjs', `${BENCH_SITE}/store-page.mjs`);
  return serveStatic(BENCH_SITE);
}

/** Waits until the app has read the whole log: nothing loading, the form enabled. */
async function ready(page) {
  await page.getByText('Loading orders…').waitFor({ state: 'hidden', timeout: 300_000 });
}

/** In the page: false until the tile `title` shows `value`; then when (ms after navigation), the longest task before it and how many were over 50 ms. */
function tileShows([title, value]) {
  const tile = document.querySelector(`[role=group][aria-label="${title}"] .value`);
  if (tile?.textContent !== value) return false;
  const now = performance.now();
  const before = window.longTasks.filter(([start]) => start < now);
  const main = performance.getEntriesByName('orderlog-main')[0]?.startTime ?? 0;
  return [now, Math.max(0, ...before.map(([, d]) => d)), before.length, main];
}

/**
 * Waits for the dashboard's Orders tile to show `orders`, written as the page's locale writes
 * a count (`15,000` in en-US), for up to `timeout` ms.
 */
async function ordersShown(page, orders, timeout) {
  const written = await page.evaluate((n) => new Intl.NumberFormat(navigator.language).format(n), orders);
  await page.getByRole('group', { name: 'Orders', exact: true }).getByText(written, { exact: true }).waitFor({ timeout });
}

/**
 * In the page: how many events the app's database holds: the last seq of its last page, or
 * (a build before schema 3, measured for a before-and-after) its count of event records.
 */
function countEvents() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('orderlog');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const paged = db.objectStoreNames.contains('pages');
      const read = paged ? db.transaction('pages').objectStore('pages').openCursor(null, 'prev') : db.transaction('events').objectStore('events').count();
      read.onsuccess = () => { db.close(); resolve(paged ? read.result?.value.last ?? 0 : read.result); };
    };
  });
}

/**
 * In the page: the floor of a start with saved read models, every saved record read with one
 * plain `getAll` and its JSON parsed; with the records' count and size.
 */
async function readSavedCopies() {
  const request = (req) => new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
  const db = await request(indexedDB.open('orderlog'));
  const started = performance.now();
  const records = await request(db.transaction('read_models').objectStore('read_models').getAll());
  let bytes = 0;
  for (const record of records) {
    JSON.parse(record.state);
    bytes += record.state.length;
  }
  const ms = performance.now() - started;
  db.close();
  return { 'plain getAll + JSON.parse ms': Math.round(ms * 10) / 10, 'saved bytes': bytes, 'saved records': records.length };
}

/**
 * In the page, before the app, when the address asks for `?rebuild`: drops the saved read
 * models. IndexedDB runs transactions over one store in the order they were made, so the
 * app's reads come after.
 */
function dropSavedViewsToRebuild() {
  if (!new URLSearchParams(location.search).has('rebuild')) return;
  const open = indexedDB.open('orderlog');
  open.onsuccess = () => {
    const tx = open.result.transaction('read_models', 'readwrite');
    tx.objectStore('read_models').clear();
    tx.oncomplete = () => open.result.close();
  };
}

/**
 * In the page: does `act` to the orders list as a seller would (types a search, or presses
 * Next page) and returns the ms until the list's summary or pager changed and the browser
 * painted it.
 */
async function changePainted({ act, value }) {
  const summary = document.querySelector('p.muted[role=status]');
  const pager = [...document.querySelectorAll('.pager span')].pop();
  const before = `${summary.textContent}|${pager.textContent}|${document.querySelector('table tbody')?.textContent}`;
  const started = performance.now();
  if (act === 'search') {
    const input = document.getElementById('orders-search');
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  } else {
    [...document.querySelectorAll('button')].find((b) => b.textContent === 'Next page').click();
  }
  for (;;) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const now = `${summary.textContent}|${pager.textContent}|${document.querySelector('table tbody')?.textContent}`;
    if (now !== before) break;
  }
  // The frame after the change is painted once the next one begins.
  await new Promise((resolve) => requestAnimationFrame(resolve));
  return performance.now() - started;
}

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 1000);

// The sync measurement's devices: the demo shop's tills on the server scripts/bench starts.
const FIRST_TILL = { user: 'demo-till-1', password: 'demo-till-1-secret' };
const SECOND_TILL = { user: 'demo-till-2', password: 'demo-till-2-secret' };
const UI_ROUNDS = Number(process.env.BENCH_UI_ROUNDS ?? 50);

const syncStatus = (page) => page.getByRole('status', { name: 'Sync', exact: true });

async function fillSync(page, server, shop, { user, password }) {
  await page.getByRole('textbox', { name: 'Server address' }).fill(server);
  await page.getByRole('textbox', { name: 'Shop' }).fill(shop);
  await page.getByRole('textbox', { name: 'User' }).fill(user);
  await page.getByLabel('Password').fill(password);
}

/** A device of `shop` in a browser of its own, synced, on its orders list. */
async function syncedDevice(appSite, server, shop, till, first) {
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(appSite.url);
  await page.getByRole('button', { name: 'Create order' }).waitFor();
  await page.getByRole('link', { name: 'Sync', exact: true }).click();
  await fillSync(page, server, shop, till);
  await page.getByRole('button', { name: 'Start syncing' }).click();
  if (first) await page.getByRole('button', { name: `Start ${shop} on the server` }).click();
  await syncStatus(page).filter({ hasText: /^Synced/ }).waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Orders', exact: true }).click();
  return { browser, page };
}

/**
 * Two devices of a new shop, each a browser of its own: UI_ROUNDS orders made through one's
 * form, each timed from the click (in that page) to the frame that paints its row in the
 * other's orders list (in that page), on the one clock both browsers read. TRIALS pairs, after
 * WARMUP; p50 and p95 over every round of the trials.
 */
async function paintedElsewhere(appSite, server, shop) {
  const times = [];
  for (let n = 0; n < WARMUP + TRIALS; n++) {
    const pairShop = `${shop}-${n}`;
    const maker = await syncedDevice(appSite, server, pairShop, FIRST_TILL, true);
    const viewer = await syncedDevice(appSite, server, pairShop, SECOND_TILL, false);
    try {
      const trial = [];
      for (let round = 0; round < UI_ROUNDS; round++) {
        const customer = `Painted ${n}-${round}`;
        await maker.page.getByRole('textbox', { name: 'Customer', exact: true }).fill(customer);
        await maker.page.getByRole('textbox', { name: 'SKU', exact: true }).fill('TEA-1');
        await maker.page.getByRole('textbox', { name: 'Unit price', exact: true }).fill('2');
        const painted = viewer.page.evaluate(
          (name) =>
            new Promise((resolve, reject) => {
              const given = setTimeout(() => reject(new Error(`${name} was not painted within 30 s`)), 30_000);
              const look = () => {
                if (document.querySelector('table tbody')?.textContent.includes(name)) {
                  // The frame that shows it is painted once the next one begins.
                  requestAnimationFrame(() => {
                    clearTimeout(given);
                    resolve(performance.timeOrigin + performance.now());
                  });
                } else {
                  requestAnimationFrame(look);
                }
              };
              look();
            }),
          customer,
        );
        const clicked = await maker.page.evaluate(() => {
          const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Create order');
          const at = performance.timeOrigin + performance.now();
          button.click();
          return at;
        });
        trial.push((await painted) - clicked);
        // The maker's form is cleared once its own list shows the order: only then the next.
        await maker.page.getByRole('row').filter({ hasText: customer }).waitFor();
        await maker.page.getByRole('button', { name: 'Create order' }).waitFor();
      }
      for (const browser of [maker.browser, viewer.browser]) {
        if (browser.errors.length) throw new Error(`the page threw: ${browser.errors.join('; ')}`);
      }
      process.stderr.write(`  ${n < WARMUP ? 'warm-up' : 'trial'} ${n + 1}: p50 ${round2(percentile(trial, 50))} ms, p95 ${round2(percentile(trial, 95))} ms\n`);
      if (n >= WARMUP) times.push(...trial);
    } finally {
      await maker.browser.close();
      await viewer.browser.close();
    }
  }
  return { rounds: times.length, 'p50 ms': round2(percentile(times, 50)), 'p95 ms': round2(percentile(times, 95)), 'max ms': round2(Math.max(...times)) };
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * In the page: `count` notes added to the open order through its form, one at a time, each
 * timed from the click to the frame that paints it (the full path: decide, append,
 * projections, DOM); then `count` one-record strict readwrite transactions of plain IndexedDB.
 * Returns both lists of milliseconds.
 */
async function commandsInPage(count) {
  const field = [...document.querySelectorAll('label')].find((l) => l.textContent === 'Note').control;
  const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Add note');
  const notes = document.querySelector('ul.notes');
  const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const app = [];
  for (let n = 0; n < count; n++) {
    const text = `note ${n}`;
    field.value = text;
    field.dispatchEvent(new Event('input', { bubbles: true }));
    // The control is disabled until the previous command has run to its end (its stock
    // commands included): a click before then does nothing, and the trial would wait forever.
    while (button.disabled) await new Promise((resolve) => setTimeout(resolve, 0));
    const started = performance.now();
    const appeared = new Promise((resolve) => {
      const watch = new MutationObserver(() => {
        // The list shows the latest notes: the new one is its last.
        if (notes.lastElementChild?.textContent.endsWith(text)) {
          watch.disconnect();
          resolve();
        }
      });
      watch.observe(notes, { childList: true, subtree: true, characterData: true });
    });
    button.click();
    await appeared;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    app.push(performance.now() - started);
    await painted();
  }
  const request = (req) => new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
  await request(indexedDB.deleteDatabase('bench-one-by-one'));
  const open = indexedDB.open('bench-one-by-one', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('events', { keyPath: 'seq' });
  const db = await request(open);
  const raw = [];
  for (let n = 1; n <= count; n++) {
    const started = performance.now();
    // Strict, as the app appends.
    const tx = db.transaction('events', 'readwrite', { durability: 'strict' });
    tx.objectStore('events').add({ seq: n, stream_id: 'order-1', event_type: 'NoteAdded', payload: `{"text":"note ${n}"}` });
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    raw.push(performance.now() - started);
  }
  db.close();
  return { app, raw };
}

// A seller on a slow mobile connection with a slow phone (issue 18): 150 ms round trip,
// 1.6 Mbit/s down and 750 kbit/s up (in bytes per second, as CDP takes them), the CPU 4× slower.
const SLOW_NETWORK = { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 };
const SLOW_CPU = 4;

/**
 * In the page, before the app: `window.firstFrame` resolves to its first contentful paint and
 * `window.usable` to when the orders list could be used (its table and an enabled Create order
 * button), both in ms after navigation. An observer, not a poll from outside: under CPU
 * throttling a poll's own round trips would move the figure.
 */
function observeVisit() {
  window.firstFrame = new Promise((resolve) => {
    new PerformanceObserver((list) => {
      const paint = list.getEntriesByName('first-contentful-paint')[0];
      if (paint) resolve(paint.startTime);
    }).observe({ type: 'paint', buffered: true });
  });
  window.usable = new Promise((resolve) => {
    const usable = () => {
      const table = document.querySelector('table[aria-labelledby="orders-heading"]');
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Create order');
      return document.getElementById('orders-heading')?.textContent === 'Orders' && table && button && !button.disabled;
    };
    new MutationObserver((_, observer) => {
      if (!usable()) return;
      resolve(performance.now());
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
  });
}

/**
 * Slows `page` to SLOW_NETWORK and SLOW_CPU before it navigates; the function returned lists
 * its own requests so far ({ url, fromServiceWorker, bytes: encodedDataLength, headers
 * included, ms }). The page's session sees only the page's requests: the service worker's
 * are its own, neither throttled nor counted here.
 */
async function slowed(page) {
  const cdp = await page.context().newCDPSession(page);
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', ({ requestId, request, timestamp }) => requests.set(requestId, { url: request.url, sent: timestamp }));
  cdp.on('Network.responseReceived', ({ requestId, response }) => Object.assign(requests.get(requestId), { fromServiceWorker: response.fromServiceWorker }));
  cdp.on('Network.loadingFinished', ({ requestId, timestamp, encodedDataLength }) => {
    const request = requests.get(requestId);
    Object.assign(request, { bytes: encodedDataLength, ms: (timestamp - request.sent) * 1000 });
  });
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOW_CPU });
  return () => [...requests.values()];
}

/**
 * A new page of `context`, slowed, navigated to `url`: ms to its first contentful paint and to
 * the orders list usable, and its requests.
 */
async function slowVisit(context, url) {
  const page = await context.newPage();
  await page.addInitScript(observeVisit);
  const requests = await slowed(page);
  await page.goto(url, { waitUntil: 'commit' });
  const [firstFrame, usable] = await page.evaluate(() => Promise.all([window.firstFrame, window.usable]));
  return { page, firstFrame: Math.round(firstFrame), usable: Math.round(usable), requests: requests() };
}

/**
 * `site` behind a proxy that counts the bytes it sends (the service worker's fetches too) and,
 * with `gzip`, compresses what it sends as a real host would: serveStatic sends every file
 * as it is. Each file is compressed once (level 9, as `size` reports), as a host's cache
 * would hold it.
 */
async function counted(site, gzip) {
  let sent = 0;
  const compressed = new Map();
  const server = createServer(async (request, response) => {
    const forwarded = await forward(request, site);
    if (forwarded.status === 304) {
      response.writeHead(304, forwarded.headers).end();
      return;
    }
    let { body } = forwarded;
    const headers = { 'content-type': 'application/octet-stream', ...forwarded.headers };
    // Images are compressed already: hosts send them as they are.
    if (gzip && !headers['content-type'].startsWith('image/') && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      if (!compressed.has(request.url)) compressed.set(request.url, gzipSync(body, { level: 9 }));
      body = compressed.get(request.url);
      Object.assign(headers, { 'content-encoding': 'gzip', vary: 'accept-encoding' });
    }
    sent += body.length;
    response.writeHead(forwarded.status, headers).end(body);
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    sent: () => sent,
    close: () => new Promise((done) => server.close(done)),
  };
}

/**
 * A first visit to `host` in a new profile, then a seller's return: the same profile reopened
 * once the service worker controls the site (it has cached the build and taken the page).
 */
async function firstAndRepeatVisit(host) {
  const sentBefore = host.sent();
  let browser = await launchBrowser();
  try {
    const first = await slowVisit(browser.context, host.url);
    await first.page.evaluate(() => navigator.serviceWorker.controller !== null
      || new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true))));
    // The host's count includes the service worker's precache: the app registers the worker
    // once its wasm runs, so the precache never races the page's own downloads; it asks for
    // the whole build again (cache: 'no-cache'), unthrottled, after the page is usable, and
    // what the page already has comes back 304, with no body.
    const sent = host.sent() - sentBefore;
    if (browser.errors.length) throw new Error(`the page threw: ${browser.errors.join('; ')}`);
    await browser.context.close();
    browser = await launchBrowser({ profile: browser.profile });
    const repeat = await slowVisit(browser.context, host.url);
    if (!(await repeat.page.evaluate(() => navigator.serviceWorker.controller !== null))) throw new Error('the service worker does not control the return visit');
    if (browser.errors.length) throw new Error(`the page threw: ${browser.errors.join('; ')}`);
    const network = (requests) => requests.filter((r) => !r.fromServiceWorker);
    const bytes = (requests) => requests.reduce((sum, r) => sum + (r.bytes ?? 0), 0);
    const wasm = first.requests.filter((r) => r.url.endsWith('_bg.wasm'));
    return {
      first: {
        'first frame ms': first.firstFrame,
        'orders usable ms': first.usable,
        'the page received bytes': bytes(network(first.requests)),
        'the host sent bytes (the page and the service worker)': sent,
        // One, or the preload was not the fetch the app made; and a download as long as the
        // throttle makes it (1.7 MB at 200 kB/s: over 8 s, not the few hundred ms of 127.0.0.1).
        'wasm requests': wasm.length,
        'wasm download ms': Math.round(Math.max(...wasm.map((r) => r.ms))),
      },
      repeat: {
        'first frame ms': repeat.firstFrame,
        'orders usable ms': repeat.usable,
        'the page received bytes from the network': bytes(network(repeat.requests)),
        'answered by the service worker': repeat.requests.filter((r) => r.fromServiceWorker).length,
      },
    };
  } finally {
    await browser.close();
  }
}

const MEASUREMENTS = {
  /**
   * Commands one by one through the UI, click to painted update, p50 and p95, beside one
   * plain IndexedDB transaction per record; at full speed and under 4× CPU throttling.
   */
  async command(site) {
    const figures = {};
    for (const throttle of [1, 4]) {
      const results = await trials(site, async (page) => {
        await page.getByRole('textbox', { name: 'Customer', exact: true }).fill('Ada Lovelace');
        await page.getByRole('textbox', { name: 'SKU', exact: true }).fill('TEA-1');
        await page.getByRole('textbox', { name: 'Unit price', exact: true }).fill('2');
        await page.getByRole('button', { name: 'Create order' }).click();
        await page.getByRole('link', { name: '#1001', exact: true }).click();
        await page.getByRole('button', { name: 'Add note', exact: true }).waitFor();
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
        const { app, raw } = await page.evaluate(commandsInPage, COMMANDS);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
        const [appP50, appP95, rawP50, rawP95] = [percentile(app, 50), percentile(app, 95), percentile(raw, 50), percentile(raw, 95)];
        return {
          'command p50 ms': round2(appP50),
          'command p95 ms': round2(appP95),
          'plain IndexedDB strict transaction p50 ms': round2(rawP50),
          'plain IndexedDB strict transaction p95 ms': round2(rawP95),
          'p95 / plain p95': round2(appP95 / rawP95),
        };
      });
      figures[`${COMMANDS} commands one by one, CPU ${throttle === 1 ? 'unthrottled' : `throttled ${throttle}×`}`] = summarise(results);
    }
    return figures;
  },


  /**
   * Cold start: from navigation to the dashboard showing the right Orders figure, with
   * COLD_EVENTS demo events stored, with the saved read models and without them (a full
   * replay); and the main thread's long tasks (over 50 ms, by the long-task observer) until
   * then. One browser and one database, seeded once: a start is a reload of the same shop.
   */
  async cold() {
    const site = await serveStatic(BENCH_SITE);
    const browser = await launchBrowser();
    const figures = {};
    try {
      const page = await browser.context.newPage();
      await page.addInitScript(observeLongTasks);
      await page.addInitScript(dropSavedViewsToRebuild);
      await page.goto(site.url);
      await page.waitForFunction(() => window.wasmBindings?.bench_append);
      // The app's own connection lets go when the seeding deletes the database.
      const [, events] = await page.evaluate((n) => window.wasmBindings.bench_append('orderlog', n, false), COLD_EVENTS);
      // The first start runs the stock process over the demo's orders and saves the views.
      await page.goto(`${site.url}dashboard`);
      await ready(page);
      const orders = await page.getByRole('group', { name: 'Orders', exact: true }).locator('.value').innerText();
      const stored = await page.evaluate(countEvents);
      const cdp = await page.context().newCDPSession(page);
      for (const throttle of [1, 2]) {
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
        const cpu = throttle === 1 ? 'CPU unthrottled' : `CPU throttled ${throttle}×`;
        // A start that keeps its saved copy: the starts without one leave none behind.
        await page.goto(`${site.url}dashboard`);
        await page.waitForFunction(tileShows, ['Orders', orders], { polling: 'raf', timeout: 300_000 });
        while ((await page.evaluate(readSavedCopies))['saved records'] === 0) await page.waitForTimeout(500);
        for (const saved of [true, false]) {
          const results = await rounds(async () => {
            // Without: the saved views are dropped as the page starts, before the app reads them
            // (the page it leaves may save them as it goes).
            await page.goto(`${site.url}dashboard${saved ? '' : '?rebuild'}`);
            const shown = await page.waitForFunction(tileShows, ['Orders', orders], { polling: 'raf', timeout: 300_000 });
            const [at, longest, over50, main] = await shown.jsonValue();
            return {
              'navigation to figures ms': Math.round(at),
              // Loading the page (HTML, script, wasm) until its code starts, and the rest.
              'of which loading ms': Math.round(main),
              'of which reading and showing ms': Math.round(at - main),
              'longest task ms': Math.round(longest),
              'tasks over 50 ms': over50,
            };
          });
          figures[`${saved ? 'with' : 'without'} saved read models, ${cpu}`] = summarise(results);
          if (saved) {
            // The same page, the saved copies as the app just read them.
            figures[`floor: the saved copies read with a plain getAll and JSON.parse, ${cpu}`] = summarise(await rounds(() => page.evaluate(readSavedCopies)));
          }
        }
      }
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      return { 'events seeded': events, 'events stored': stored, orders, ...figures };
    } finally {
      await browser.close();
      await site.close();
    }
  },

  /**
   * The orders list over UI_ORDERS orders: from navigation to the first page of the whole
   * list (saved read models restored), a search typed and cleared, and the next page, each
   * until the browser has painted the change.
   */
  async ui() {
    const site = await serveStatic(BENCH_SITE);
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(site.url);
      await page.waitForFunction(() => window.wasmBindings?.bench_seed_orders);
      const [, events] = await page.evaluate((n) => window.wasmBindings.bench_seed_orders('orderlog', n), UI_ORDERS);
      await page.reload();
      await ready(page);
      const results = await rounds(async () => {
        await page.goto(`${site.url}dashboard`);
        await ready(page);
        await page.goto(site.url);
        // The whole list: its summary counts every order, and the first page is shown.
        const first = await page.waitForFunction((orders) => {
          const rows = document.querySelectorAll('table tbody tr');
          const summary = document.querySelector('p.muted[role=status]')?.textContent;
          return rows.length === 50 && summary === `${orders} orders` && performance.now();
        }, UI_ORDERS, { polling: 'raf', timeout: 300_000 });
        const search = await page.evaluate(changePainted, { act: 'search', value: 'Customer 4242' });
        const clear = await page.evaluate(changePainted, { act: 'search', value: '' });
        const next = await page.evaluate(changePainted, { act: 'next' });
        return {
          'navigation to the whole list ms': Math.round(await first.jsonValue()),
          'search to painted ms': round2(search),
          'clear search to painted ms': round2(clear),
          'next page to painted ms': round2(next),
        };
      });
      return { orders: UI_ORDERS, 'events stored': events, ...summarise(results) };
    } finally {
      await browser.close();
      await site.close();
    }
  },

  /**
   * A seller's first visit and return on a slow network with a slow phone (SLOW_NETWORK,
   * SLOW_CPU): ms from navigation to the first contentful paint and to the orders list
   * usable, and the bytes sent; with the files sent as they are (serveStatic) and gzipped.
   */
  async visit(site) {
    const figures = {};
    for (const gzip of [false, true]) {
      const host = await counted(site, gzip);
      try {
        const results = await rounds(() => firstAndRepeatVisit(host));
        const sent = gzip ? 'gzipped' : 'sent as they are';
        figures[`first visit, files ${sent}`] = summarise(results.map((r) => r.first));
        figures[`repeat visit, files ${sent}`] = summarise(results.map((r) => r.repeat));
      } finally {
        await host.close();
      }
    }
    return { network: '150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up', CPU: `${SLOW_CPU}× slower`, ...figures };
  },

  /** orderlog's wasm and JS beside a Leptos hello world built the same way. */
  async size() {
    const app = await sizes(process.env.ORDERLOG_DIST ?? 'dist');
    const hello = await sizes(process.env.HELLO_SITE ?? 'target/bench/hello');
    return {
      'orderlog wasm bytes (raw / gzip)': `${app.wasm.raw} / ${app.wasm.gzip}`,
      'orderlog JS bytes (raw / gzip)': `${app.js.raw} / ${app.js.gzip}`,
      'orderlog loaded later: files, bytes (raw / gzip)': `${app.later.files}, ${app.later.raw} / ${app.later.gzip}`,
      'hello world wasm bytes (raw / gzip)': `${hello.wasm.raw} / ${hello.wasm.gzip}`,
      'hello world JS bytes (raw / gzip)': `${hello.js.raw} / ${hello.js.gzip}`,
      'orderlog / hello world, wasm gzipped': round2(app.wasm.gzip / hello.wasm.gzip),
    };
  },


  /**
   * The event store beside plain IndexedDB and Dexie, in one browser: appending N demo
   * events (relaxed and strict durability), then reading and replaying them.
   */
  async store() {
    const site = await benchSite();
    const browser = await launchBrowser();
    const figures = {};
    try {
      const page = await browser.context.newPage();
      await page.goto(site.url);
      await page.waitForFunction(() => window.wasmBindings?.bench_append);
      await page.evaluate(() => import('/store-page.mjs'));
      for (const events of STORE_SIZES) {
        for (const strict of [false, true]) {
          let recordsTaken = false;
          const results = await rounds(async () => {
            const [orderlog, written] = await page.evaluate(([n, s]) => window.wasmBindings.bench_append('bench-orderlog', n, s), [events, strict]);
            if (!recordsTaken) {
              await page.evaluate(() => window.benchStore.takeRecords('bench-orderlog'));
              recordsTaken = true;
            }
            const raw = await page.evaluate((s) => window.benchStore.rawAppend(s), strict);
            const rawPages = await page.evaluate((s) => window.benchStore.rawPagesAppend(s), strict);
            const dexie = await page.evaluate((s) => window.benchStore.dexieAppend(s), strict);
            return {
              events: written,
              orderlog,
              'raw, a record per event': raw,
              'raw, pages of 1,000': rawPages,
              dexie,
              'orderlog / raw per event': orderlog / raw,
              'orderlog / raw pages': orderlog / rawPages,
              'orderlog / dexie': orderlog / dexie,
            };
          });
          figures[`append ${events} events, ${strict ? 'strict' : 'relaxed'} (ms)`] = summarise(results.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round2(v)]))));
        }
        // The databases now hold the last (strict) trial's records: read and replay them.
        const results = await rounds(async () => {
          const [total, notFolding, folding] = await page.evaluate(() => window.wasmBindings.bench_replay('bench-orderlog'));
          const reads = await page.evaluate(() => window.benchStore.reads());
          const decode = await page.evaluate(() => window.benchStore.decode());
          return {
            'orderlog replay': total,
            'orderlog not folding (reads overlap the folds)': notFolding,
            'orderlog fold': folding,
            'getAll (floor)': reads.getAll,
            'getAll pages of 1,000': reads.getAllPaged,
            cursor: reads.cursor,
            'Dexie toArray': reads.dexie,
            'decode: serde-wasm-bindgen (the store)': decode.objects,
            'decode: JSON.stringify': decode.stringify,
            'decode: serde_json': decode.text,
            'replay / getAll': total / reads.getAll,
            'replay / cursor': total / reads.cursor,
          };
        });
        figures[`replay ${events} events into every read model (ms)`] = summarise(results.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round2(v)]))));
      }
    } finally {
      await browser.close();
      await site.close();
    }
    return figures;
  },


  /**
   * A Shopify export of IMPORT_ORDERS orders (four rows each) from choosing the file to the
   * dashboard's figures; commands per second in each tenth of the import; the main thread's
   * long tasks meanwhile; the page's memory after; and, in the same page, the floor: plain
   * IndexedDB writing the same events as pages of 1,000.
   */
  async import() {
    // A file: an export of this size can be over what Playwright hands a page in memory.
    const csv = 'target/bench/orders.csv';
    await writeFile(csv, shopifyCsv(IMPORT_ORDERS));
    const site = await benchSite();
    try {
      const results = await trials(site, async (page) => {
        await page.evaluate(observeLongTasks);
        await page.getByRole('link', { name: 'Import', exact: true }).click();
        const started = performance.now();
        await page.getByLabel('Shopify orders CSV').setInputFiles(csv);
        await page.getByText(`${IMPORT_ORDERS} orders with ${IMPORT_ORDERS * 4} line items will be imported; 0 rejected.`).waitFor({ timeout: 600_000 });
        const previewed = performance.now();
        const [tasksBefore, clicked] = await page.evaluate(() => [window.longTasks.length, performance.now()]);
        await page.getByRole('button', { name: `Import ${IMPORT_ORDERS} orders` }).click();
        // The progress bar, sampled: when each tenth of the commands was reached.
        const tenths = [];
        let total = 0;
        const done = page.getByRole('status').filter({ hasText: /^Done: the import wrote|failed/ });
        while (!(await done.isVisible())) {
          const bar = await page.evaluate(() => {
            const progress = document.querySelector('progress[aria-label="Imported"]');
            return progress && [Number(progress.value), Number(progress.max), performance.now()];
          });
          if (bar) {
            const [value, max, at] = bar;
            total = max;
            while (tenths.length < 10 && value >= (max * (tenths.length + 1)) / 10) tenths.push([at, (max * (tenths.length + 1)) / 10]);
          }
          await page.waitForTimeout(100);
        }
        const message = await done.innerText();
        if (!message.startsWith('Done')) throw new Error(message);
        const written = performance.now();
        // The last tenths, when the bar was not sampled between them and "Done" (in the
        // page's clock, as the bar's samples are).
        const doneInPage = await page.evaluate(() => performance.now());
        while (tenths.length < 10 && total > 0) tenths.push([doneInPage, (total * (tenths.length + 1)) / 10]);
        // A large import's page can stay busy a long while after it says done.
        await page.getByRole('link', { name: 'Dashboard', exact: true }).click({ timeout: 600_000 });
        await ordersShown(page, IMPORT_ORDERS, 600_000);
        const shown = performance.now();
        const tasks = await page.evaluate((from) => window.longTasks.slice(from).map(([, d]) => d), tasksBefore);
        const events = await page.evaluate(countEvents);
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('HeapProfiler.collectGarbage');
        await cdp.send('Performance.enable');
        const { metrics } = await cdp.send('Performance.getMetrics');
        const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
        const wasm = await page.evaluate(() => window.wasmBindings.bench_wasm_memory());
        await page.evaluate(() => import('/store-page.mjs'));
        const floor = await page.evaluate(async () => {
          await window.benchStore.takeRecords('orderlog');
          return window.benchStore.rawPagesAppend(true);
        });
        const rates = {};
        let [before, commandsBefore] = [clicked, 0];
        for (const [k, [at, commands]] of tenths.entries()) {
          rates[`tenth ${k + 1} commands/s`] = Math.round(((commands - commandsBefore) * 1000) / Math.max(1, at - before));
          [before, commandsBefore] = [at, commands];
        }
        return {
          'preview ms': Math.round(previewed - started),
          'import to dashboard ms': Math.round(shown - previewed),
          'file to dashboard ms': Math.round(shown - started),
          'import click to done ms': Math.round(written - previewed),
          'floor: plain IndexedDB writing the events as pages of 1,000, strict ms': Math.round(floor),
          'import to dashboard / floor': round2((shown - previewed) / floor),
          'events stored': events,
          'long tasks over 50 ms during the import': tasks.length,
          'longest task ms': Math.round(Math.max(0, ...tasks)),
          'JS heap after, MB': Math.round(heap / 1e6),
          'wasm memory after, MB': Math.round(wasm / 1e6),
          ...rates,
        };
      });
      return { rows: IMPORT_ORDERS * 4, orders: IMPORT_ORDERS, ...summarise(results) };
    } finally {
      await site.close();
    }
  },

  /**
   * Opening the shop the IMPORT_ORDERS-order export makes, rewritten as schema 2 left it (one
   * record per event, no saved views): navigation to the dashboard's figures, with the
   * upgrade to pages and a full replay; then the same start without the upgrade (the saved
   * views dropped, a full replay); the difference is the upgrade.
   */
  async upgrade() {
    const site = await benchSite();
    try {
      const results = await trials(site, async (page) => {
        await page.addInitScript(dropSavedViewsToRebuild);
        await importGeneratedOrders(page, IMPORT_ORDERS, { timeout: 1_800_000 });
        const events = await page.evaluate(rewriteAsSchema2);
        const shown = async (url) => {
          const started = performance.now();
          await page.goto(url);
          await ordersShown(page, IMPORT_ORDERS, 600_000);
          return performance.now() - started;
        };
        const upgrading = await shown(`${site.url}dashboard`);
        const replaying = await shown(`${site.url}dashboard?rebuild`);
        return {
          events,
          'navigation to figures, upgrading and replaying ms': Math.round(upgrading),
          'the same start without the upgrade ms': Math.round(replaying),
          'the upgrade (the difference) ms': Math.round(upgrading - replaying),
        };
      });
      return { orders: IMPORT_ORDERS, ...summarise(results) };
    } finally {
      await site.close();
    }
  },

  /**
   * Restoring a backup of the shop the IMPORT_ORDERS-order export makes, from choosing the
   * file to the dashboard's figures: the file read and proven, the log replaced, every view
   * rebuilt.
   */
  async restore() {
    const site = await benchSite();
    try {
      // The backup, made once: the export imported in a browser of its own, then downloaded.
      const maker = await launchBrowser();
      // Saved to a file: a backup of this size is over what Playwright hands a page in memory.
      const backup = 'target/bench/backup.ndjson';
      try {
        const page = await maker.context.newPage();
        await page.goto(site.url);
        await page.getByRole('button', { name: 'Create order' }).waitFor();
        await importGeneratedOrders(page, IMPORT_ORDERS, { timeout: 1_800_000 });
        const [download] = await Promise.all([
          page.waitForEvent('download', { timeout: 300_000 }),
          page.getByRole('button', { name: 'Download a backup of the event log' }).click(),
        ]);
        await download.saveAs(backup);
      } finally {
        await maker.close();
      }
      const results = await trials(site, async (page) => {
        await page.getByRole('link', { name: 'Import', exact: true }).click();
        const started = performance.now();
        await page.getByLabel('Backup file').setInputFiles(backup);
        await page.getByText(/^A sound backup of \d+ events\.$/).waitFor({ timeout: 300_000 });
        const checked = performance.now();
        await page.getByRole('button', { name: 'Restore backup' }).click();
        await page.getByRole('status').filter({ hasText: 'Backup restored.' }).waitFor({ timeout: 1_800_000 });
        const restored = performance.now();
        await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
        await ordersShown(page, IMPORT_ORDERS, 300_000);
        const shown = performance.now();
        return {
          'file read and proven ms': Math.round(checked - started),
          'restore click to restored (written, views rebuilt) ms': Math.round(restored - checked),
          'file to dashboard ms': Math.round(shown - started),
          'events stored': await page.evaluate(countEvents),
        };
      });
      return { orders: IMPORT_ORDERS, 'backup bytes': (await stat(backup)).size, ...summarise(results) };
    } finally {
      await site.close();
    }
  },

  /**
   * Sync through the development sync server (scripts/bench starts it; its WebSocket
   * address in ORDERLOG_NATS_WS). The 60,000-row shop is imported in one browser and its log
   * pushed to a new shop log (written before sync: each command pushed as it was); then, in
   * a new browser each trial, a new device pulls it into its store and its read models are
   * built from it, and its head hash is checked against the first device's. Then 10,000
   * orders decided offline are pushed; then ROUND_TRIPS times an order decided on one device
   * is pushed and pulled by another, p50 and p95 (each device syncs at once: the floor under
   * any notification).
   */
  // Device to device as a seller sees it: an order made on one device's form, painted in the
  // other's orders list (release build, the server scripts/bench starts).
  async 'sync-ui'(appSite) {
    const server = process.env.ORDERLOG_NATS_WS;
    if (!server) throw new Error('ORDERLOG_NATS_WS names no sync server: scripts/bench starts one');
    return {
      [`${UI_ROUNDS} orders made on one device's form, painted on the other's orders list`]:
        await paintedElsewhere(appSite, server, `painted-${Date.now()}`),
    };
  },

  async sync(appSite) {
    const server = process.env.ORDERLOG_NATS_WS;
    if (!server) throw new Error('ORDERLOG_NATS_WS names no sync server: scripts/bench starts one');
    const site = await benchSite();
    const shop = `bench-${Date.now()}`;
    try {
      const maker = await launchBrowser();
      let pushed;
      let head;
      let figures;
      try {
        const page = await maker.context.newPage();
        await page.goto(site.url);
        await page.getByRole('button', { name: 'Create order' }).waitFor();
        await importGeneratedOrders(page, IMPORT_ORDERS, { timeout: 1_800_000 });
        const [ms, commands, events] = await page.evaluate(
          ([server, shop]) => window.wasmBindings.bench_sync_push_log(server, shop, 'orderlog'),
          [server, shop],
        );
        head = await page.evaluate(() => window.wasmBindings.bench_head_hash('orderlog'));
        figures = await dashboardTiles(page);
        process.stderr.write(`  the first device's head: ${head}\n`);
        pushed = { 'events': events, 'commands pushed': commands, 'push ms': Math.round(ms), 'commands per second': Math.round((commands / ms) * 1000) };
        process.stderr.write(`  pushed the imported shop: ${JSON.stringify(pushed)}\n`);
      } finally {
        await maker.close();
      }
      const pulls = await trials(site, async (page) => {
        page.on('console', (message) => process.stderr.write(`  page: ${message.text()}\n`));
        const [pullMs, pulled, quarantined, stored] = await page.evaluate(
          ([server, shop]) => window.wasmBindings.bench_sync_pull(server, shop, 'bench-sync-pull'),
          [server, shop],
        );
        const theirs = await page.evaluate(() => window.wasmBindings.bench_head_hash('bench-sync-pull'));
        if (theirs !== head) {
          throw new Error(`the new device ends on ${theirs}, not on the first device's head hash ${head}: ${pulled} pulled, ${quarantined} quarantined, ${stored} stored`);
        }
        const [replayMs, , , applied] = await page.evaluate(() => window.wasmBindings.bench_replay('bench-sync-pull'));
        return {
          'events pulled': pulled,
          'pull into the store ms': Math.round(pullMs),
          'read models built ms': Math.round(replayMs),
          'new device total ms': Math.round(pullMs + replayMs),
          'events folded': applied,
        };
      });
      // The same join as a seller makes it, in the release build: from Start syncing to the
      // dashboard's figures, checked against the first device's.
      const joins = await trials(appSite, async (page) => {
        await page.getByRole('link', { name: 'Sync', exact: true }).click();
        await fillSync(page, server, shop, SECOND_TILL);
        const started = Date.now();
        await page.getByRole('button', { name: 'Start syncing' }).click();
        await syncStatus(page).filter({ hasText: /^Synced/ }).waitFor({ timeout: 3_600_000 });
        const shown = await dashboardTiles(page);
        const ms = Date.now() - started;
        if (JSON.stringify(shown) !== JSON.stringify(figures)) {
          throw new Error(`the joined device shows ${JSON.stringify(shown)}, not ${JSON.stringify(figures)}`);
        }
        return { 'Start syncing to the dashboard ms': ms };
      });
      const pending = await trials(site, async (page) => {
        const [ms, commands] = await page.evaluate(
          ([server, shop, count]) => window.wasmBindings.bench_sync_push_pending(server, shop, 'bench-sync-pending', count),
          [server, `${shop}-pending-${Date.now()}`, PENDING_COMMANDS],
        );
        return { 'commands pushed': commands, 'push ms': Math.round(ms), 'commands per second': Math.round((commands / ms) * 1000) };
      });
      const trips = await trials(site, async (page) => {
        const times = await page.evaluate(
          ([server, shop, rounds]) => window.wasmBindings.bench_sync_round_trips(server, shop, rounds),
          [server, `${shop}-trips-${Date.now()}`, ROUND_TRIPS],
        );
        return { 'decided here to applied there p50 ms': round2(percentile(times, 50)), 'p95 ms': round2(percentile(times, 95)) };
      });
      return {
        orders: IMPORT_ORDERS,
        'the imported shop pushed (once)': pushed,
        'a new device pulls it': summarise(pulls),
        'a new device joins it from the Sync page (release build)': summarise(joins),
        [`${PENDING_COMMANDS} commands decided offline, pushed`]: summarise(pending),
        [`${ROUND_TRIPS} orders, one device to the other`]: summarise(trips),
      };
    } finally {
      await site.close();
    }
  },
};

const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(MEASUREMENTS);
const site = await serveStatic(process.env.ORDERLOG_DIST ?? 'dist');
const machine = {
  browser: execFileSync(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(),
  cores: (await import('node:os')).cpus().length,
  trials: TRIALS,
  warmup: WARMUP,
  date: new Date().toISOString(),
};
const results = { machine };
try {
  for (const name of chosen) {
    process.stderr.write(`${name}\n`);
    results[name] = await MEASUREMENTS[name](site);
  }
} finally {
  await site.close();
}

const cell = (value) => (typeof value === 'object' ? `${value.median} (${value.min}–${value.max})` : String(value));
const isGroup = (value) => typeof value === 'object' && !('median' in value);
const lines = [`Machine: ${machine.browser}, ${machine.cores} cores; median (min–max) of ${TRIALS} trials after ${WARMUP} warm-up.`, ''];
for (const name of chosen) {
  lines.push(`### ${name}`, '');
  // Plain figures in one table; each group of figures in a table of its own.
  const table = (figures) => {
    lines.push('| figure | median (min–max) |', '|---|---|');
    for (const [figure, value] of Object.entries(figures)) lines.push(`| ${figure} | ${cell(value)} |`);
    lines.push('');
  };
  const entries = Object.entries(results[name]);
  const plain = entries.filter(([, value]) => !isGroup(value));
  if (plain.length) table(Object.fromEntries(plain));
  for (const [group, figures] of entries.filter(([, value]) => isGroup(value))) {
    lines.push(`#### ${group}`, '');
    table(figures);
  }
}
await mkdir('target/bench', { recursive: true });
await writeFile('target/bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
await writeFile('target/bench/results.md', lines.join('\n'));
console.log(lines.join('\n'));
