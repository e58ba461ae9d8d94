// A tab killed in the middle of a long import leaves whole orders or nothing of them; a
// browser killed in the middle of a restore leaves the shop it had or the whole backup, and in
// the middle of a schema upgrade the database as it was or wholly upgraded. On the next start
// the views match a rebuild from the log.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { shopifyCsv } from '../bench/shopify-csv.mjs';
import { damageStore, dashboardTiles, importGeneratedOrders, launchBrowser, rewriteAsSchema2, storedEventCount, wholeGeneratedOrders, withApp } from './support.mjs';

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

/** Kills `tab`'s renderer, as a crash or a closed laptop lid would. */
async function crash(tab) {
  const cdp = await tab.context().newCDPSession(tab);
  const crashed = tab.waitForEvent('crash');
  cdp.send('Page.crash').catch(() => {}); // never answers: the session dies with the renderer
  await crashed;
}

/** The names, sizes and times of the files of `profile`'s IndexedDB, as one text. */
async function databaseFiles(profile) {
  const files = join(profile, 'Default', 'IndexedDB');
  const names = await readdir(files, { recursive: true }).catch(() => []);
  const described = await Promise.all(
    names.map((name) => stat(join(files, name)).then((s) => `${name}:${s.size}:${s.mtimeMs}`).catch(() => '')),
  );
  return described.sort().join(' ');
}

/**
 * Kills every process of the browser using `profile` with SIGKILL (the browser, and all its
 * children: renderers, the storage service, the zygotes), as a power cut or the system
 * killing it would: nothing gets to finish, not even a write already committed.
 */
async function killBrowser(profile) {
  const parents = new Map();
  const browsers = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // The parent's pid is the second field after the command's closing parenthesis.
    parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    // Chromium rewrites its processes' titles, so the arguments are read as one text.
    const args = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (args.split(/[\0 ]/).includes(`--user-data-dir=${profile}`)) browsers.push(Number(name));
  }
  assert.ok(browsers.length > 0, 'the browser was found');
  const tree = new Set(browsers);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (tree.has(parent) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  for (const pid of tree) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already, with its parent
    }
  }
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
  await crash(page);

  const next = await browser.context.newPage();
  await opened(next);
  const events = await storedEventCount(next);
  assert.ok(events > 0, 'what was written before the cut is kept');

  const tiles = await dashboardTiles(next);
  const orders = wholeGeneratedOrders(tiles);
  assert.ok(orders > 0 && orders < ORDERS, `cut midway: ${orders} orders`);

  // The views the next start showed are the log's: the same as a rebuild from nothing.
  await damageStore(next, {}); // no damage: only the saved views are dropped
  await opened(next);
  assert.deepEqual(await dashboardTiles(next), tiles);
});

test('a browser killed mid-restore keeps the shop it had or the whole backup, never a mix', async (t) => {
  const SHOP = 40;
  const BACKUP = 2_000;
  // The backup: a shop of its own, made in another browser.
  const maker = await launchBrowser();
  let backup;
  try {
    const tab = await maker.context.newPage();
    await opened(tab);
    await importGeneratedOrders(tab, BACKUP);
    const [download] = await Promise.all([
      tab.waitForEvent('download'),
      tab.getByRole('button', { name: 'Download a backup of the event log' }).click(),
    ]);
    backup = await readFile(await download.path());
  } finally {
    await maker.close();
  }

  const first = await launchBrowser();
  const tab = await first.context.newPage();
  await opened(tab);
  await importGeneratedOrders(tab, SHOP);
  const shopEvents = await storedEventCount(tab);
  await tab.getByLabel('Backup file').setInputFiles({ name: 'backup.ndjson', mimeType: 'application/x-ndjson', buffer: backup });
  await tab.getByRole('checkbox', { name: /Replace the \d+ events in this browser with the backup/ }).check();
  const gone = new Promise((resolve) => first.context.on('close', resolve));
  // The cut: as soon as the restore's writes reach the database's files, once they have
  // been still for a second (the import's own writes done).
  let still = await databaseFiles(first.profile);
  for (let quiet = 0; quiet < 1_000; ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = await databaseFiles(first.profile);
    quiet = now === still ? quiet + 50 : 0;
    still = now;
  }
  await tab.getByRole('button', { name: 'Restore backup' }).click();
  const clicked = Date.now();
  while ((await databaseFiles(first.profile)) === still && Date.now() - clicked < 30_000) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await killBrowser(first.profile);
  await gone;
  t.diagnostic(`cut ${Date.now() - clicked} ms after the click`);

  const again = await launchBrowser({ profile: first.profile });
  try {
    const next = await again.context.newPage();
    await opened(next);
    const events = await storedEventCount(next);
    const tiles = await dashboardTiles(next);
    const orders = wholeGeneratedOrders(tiles);
    t.diagnostic(`after the cut: ${orders} orders, ${events} events`);
    assert.ok(
      (orders === SHOP && events === shopEvents) || orders === BACKUP,
      `the shop it had (${SHOP} orders, ${shopEvents} events) or the backup's ${BACKUP} orders, not ${orders} orders and ${events} events`,
    );

    await damageStore(next, {}); // no damage: only the saved views are dropped
    await opened(next);
    assert.deepEqual(await dashboardTiles(next), tiles);
    assert.deepEqual(again.errors, []);
  } finally {
    await again.close();
  }
});

/**
 * In a page of the app's origin: the app's database as it is, opened without upgrading it:
 * its version, its stores, and how many events each layout holds.
 */
function databaseState() {
  const request = (req) => new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
  return (async () => {
    const db = await request(indexedDB.open('orderlog'));
    const stores = [...db.objectStoreNames];
    const events = stores.includes('events') ? await request(db.transaction('events').objectStore('events').count()) : 0;
    const pages = stores.includes('pages') ? await request(db.transaction('pages').objectStore('pages').getAll()) : [];
    const paged = pages.reduce((sum, page) => sum + JSON.parse(page.events).length, 0);
    const state = { version: db.version, stores, events, paged };
    db.close();
    return state;
  })();
}

test('a browser killed mid-upgrade leaves the database as it was or wholly upgraded, and nothing lost', async (t) => {
  const ORDERS = 2_000;
  const first = await launchBrowser();
  const tab = await first.context.newPage();
  await opened(tab);
  await importGeneratedOrders(tab, ORDERS);
  const tiles = await dashboardTiles(tab);
  // What an older orderlog left: the same log, one record per event.
  const events = await tab.evaluate(rewriteAsSchema2);
  const gone = new Promise((resolve) => first.context.on('close', resolve));
  // A slower phone: the upgrade (2.5 s here unthrottled) is cut well inside it.
  const cdp = await tab.context().newCDPSession(tab);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await tab.goto(site.url);
  await tab.getByRole('status').filter({ hasText: /^Moving your orders into this version's faster storage/ }).waitFor({ timeout: 60_000 });
  await killBrowser(first.profile);
  await gone;

  // Looked at before the app opens it again: the bare origin, with no tab of the killed
  // session restored and no service worker to answer with the app (either would upgrade it).
  for (const kept of ['Sessions', 'Service Worker']) await rm(join(first.profile, 'Default', kept), { recursive: true, force: true });
  const look = await launchBrowser({ profile: first.profile, serviceWorkers: 'block' });
  let state;
  try {
    const inspect = await look.context.newPage();
    await inspect.route(`${site.url}inspect`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>inspect</title>' }));
    await inspect.goto(`${site.url}inspect`);
    state = await inspect.evaluate(databaseState);
  } finally {
    await look.context.close();
  }
  t.diagnostic(`after the cut: schema ${state.version}, stores ${state.stores.join(', ')}; ${state.events} event records, ${state.paged} events in pages, of ${events}`);
  const asItWas = state.version === 2 && state.events === events && !state.stores.includes('pages');
  const upgraded = state.version === 3 && state.paged === events && !state.stores.includes('events');
  assert.ok(asItWas || upgraded, `wholly schema 2 or wholly schema 3: ${JSON.stringify(state)}`);

  const again = await launchBrowser({ profile: first.profile });
  try {
    const next = await again.context.newPage();
    await opened(next);
    assert.equal(await storedEventCount(next), events, 'every event is kept');
    assert.deepEqual(await dashboardTiles(next), tiles, 'and the shop is the same');
    assert.deepEqual(again.errors, []);
  } finally {
    await again.close();
  }
});
