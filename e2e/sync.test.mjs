// Sync between devices: each device a browser profile of its own, syncing through the test
// command's NATS server (its WebSocket address in ORDERLOG_NATS_WS), as a seller sets it up
// on the Sync page.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createOrder,
  dashboardTiles,
  importGeneratedOrders,
  launchBrowser,
  openView,
  orderRows,
  serveStatic,
  storedEvents,
  wholeGeneratedOrders,
} from './support.mjs';

const SERVER = process.env.ORDERLOG_NATS_WS;
const TILL_1 = { user: 'demo-till-1', password: 'demo-till-1-secret' };
const TILL_2 = { user: 'demo-till-2', password: 'demo-till-2-secret' };
const READER = { user: 'demo-reader', password: 'demo-reader-secret' };
const OTHER_SHOP = { user: 'other-till', password: 'other-till-secret' };

let site;
const browsers = [];

before(async () => {
  assert.ok(SERVER, 'ORDERLOG_NATS_WS names the sync server (scripts/test starts it)');
  site = await serveStatic(process.env.ORDERLOG_DIST ?? 'dist');
});
after(async () => {
  await site.close();
});
afterEach(async () => {
  for (const browser of browsers.splice(0)) {
    await browser.close();
    assert.deepEqual(browser.errors, [], 'the pages threw no errors');
  }
});

/** A shop name no other test or run uses. */
let shops = 0;
const newShop = () => `e2e-${process.pid}-${Date.now() % 100000}-${++shops}`;

/** A device: a browser profile of its own with the app open. */
async function device() {
  const browser = await launchBrowser();
  browsers.push(browser);
  const page = await browser.context.newPage();
  await page.goto(site.url);
  await page.getByRole('button', { name: 'Create order' }).waitFor();
  page.browser = browser;
  return page;
}

const syncStatus = (page) => page.getByRole('status', { name: 'Sync', exact: true });

/** Waits until the shell's sync status reads `text` (a string it holds, or a pattern). */
async function statusSays(page, text, timeout = 20_000) {
  try {
    await syncStatus(page).filter({ hasText: text }).waitFor({ timeout });
  } catch (error) {
    const said = await syncStatus(page).innerText().catch(() => '(no status)');
    throw new Error(`the sync status did not come to say ${text} within ${timeout} ms; it says: ${said}`, { cause: error });
  }
}

/** Fills the Sync page as a seller would and starts syncing. */
async function startSync(page, shop, { user, password }, server = SERVER) {
  await openView(page, 'Sync');
  await page.getByRole('textbox', { name: 'Server address' }).fill(server);
  await page.getByRole('textbox', { name: 'Shop' }).fill(shop);
  await page.getByRole('textbox', { name: 'User' }).fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Start syncing' }).click();
}

/** The first device of a new shop: starts the shop on the server. */
async function startShop(page, shop, user = TILL_1) {
  await startSync(page, shop, user);
  await page.getByRole('button', { name: `Start ${shop} on the server` }).click();
  await statusSays(page, /^Synced/);
}

async function openOrders(page) {
  await openView(page, 'Orders');
}

const row = (page, customer) =>
  page.getByRole('table', { name: 'Orders' }).getByRole('row').filter({ hasText: customer });

async function openOrder(page, customer) {
  await openOrders(page);
  await row(page, customer).getByRole('link').first().click();
}

async function placeAndOpen(page, customer) {
  await openOrder(page, customer);
  await page.getByRole('button', { name: 'Place order', exact: true }).click();
  await page.getByRole('button', { name: 'Record payment' }).waitFor();
}

async function pay(page, amount) {
  await page.getByRole('textbox', { name: 'Payment amount' }).fill(amount);
  await page.getByRole('button', { name: 'Record payment' }).click();
}

/** Runs `check` until it passes, or fails with its last error after `timeout` ms. */
async function eventually(check, timeout = 20_000) {
  const until = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((done) => setTimeout(done, 200));
    }
  }
}

const hashes = async (page) => (await storedEvents(page)).map((event) => event.hash);

test('an order made on one device appears on the other (a phone), and its figures on both dashboards', async () => {
  const shop = newShop();
  const till1 = await device();
  const till2 = await device();
  await till2.setViewportSize({ width: 390, height: 844 });
  await startShop(till1, shop);
  await startSync(till2, shop, TILL_2);
  await statusSays(till2, /^Synced/);

  await openOrders(till1);
  await createOrder(till1, { customer: 'Ada Lovelace', quantity: '3', unitPrice: '4.50' });
  await openOrders(till2);
  await row(till2, 'Ada Lovelace').waitFor({ timeout: 20_000 });

  assert.deepEqual(await orderRows(till2), await orderRows(till1));
  assert.deepEqual(await orderRows(till2), [['#1001', 'Ada Lovelace', '3', '13.50']]);

  await placeAndOpen(till1, 'Ada Lovelace');
  const figures = await dashboardTiles(till1);
  assert.equal(figures['Sales'], '13.50');
  assert.equal(figures['Units'], '3');
  await eventually(async () => assert.deepEqual(await dashboardTiles(till2), figures));
  await statusSays(till1, /^Synced/);
  assert.deepEqual(await hashes(till2), await hashes(till1), 'one log, hash for hash');

  // What a seller is typing stays while a sync brings in another device's order.
  await openOrders(till2);
  await till2.getByRole('textbox', { name: 'Customer', exact: true }).fill('Half Typed');
  await openOrders(till1);
  await createOrder(till1, { customer: 'Pushed Meanwhile' });
  await row(till2, 'Pushed Meanwhile').waitFor({ timeout: 20_000 });
  await statusSays(till2, /^Synced/);
  assert.equal(await till2.getByRole('textbox', { name: 'Customer', exact: true }).inputValue(), 'Half Typed');
});

test('two devices that both took the last payment offline converge, and the loser is told why', async () => {
  const shop = newShop();
  const till1 = await device();
  const till2 = await device();
  await startShop(till1, shop);
  await openOrders(till1);
  await createOrder(till1, { customer: 'Grace Hopper', quantity: '2', unitPrice: '5' });
  await placeAndOpen(till1, 'Grace Hopper');
  await statusSays(till1, /^Synced/);
  await startSync(till2, shop, TILL_2);
  await statusSays(till2, /^Synced/);

  // Both offline; both take the order's whole balance, and each add an order of their own.
  for (const page of [till1, till2]) {
    await page.context().setOffline(true);
    await statusSays(page, 'Offline: changes are kept on this device');
  }
  await pay(till1, '10');
  await openOrder(till2, 'Grace Hopper');
  await pay(till2, '10');
  await openOrders(till1);
  await createOrder(till1, { customer: 'Till One Offline' });
  await openOrders(till2);
  await createOrder(till2, { customer: 'Till Two Offline' });
  await statusSays(till2, /waiting to sync/);

  // Back online, one after the other.
  await till1.context().setOffline(false);
  await statusSays(till1, /^Synced/);
  await till2.context().setOffline(false);
  await statusSays(till2, /^Synced/);
  await statusSays(till1, /^Synced/);
  await row(till1, 'Till Two Offline').waitFor({ timeout: 20_000 });

  assert.deepEqual(await hashes(till2), await hashes(till1), 'one log, hash for hash');
  assert.deepEqual(await dashboardTiles(till2), await dashboardTiles(till1));
  assert.equal((await dashboardTiles(till1))['Collected'], '10.00', 'the balance was paid once');

  await openView(till2, 'Sync');
  const refused = till2.getByRole('region', { name: 'Refused on sync' });
  await refused.getByText(/A payment of 10\.00.*: payment exceeds the balance due of 0\.00/).waitFor();
  await refused.getByRole('button', { name: 'Dismiss' }).click();
  await refused.waitFor({ state: 'detached' });
});

test('a wrong address, a wrong password and a shop that is not there each say what to do, and lose nothing', async () => {
  const page = await device();
  await createOrder(page, { customer: 'Kept Locally' });

  await startSync(page, newShop(), TILL_1, 'ws://127.0.0.1:9');
  await statusSays(page, /^Sync stopped: no sync server answers at ws:\/\/127\.0\.0\.1:9 .*Check the address on the Sync page/);
  await page.getByRole('button', { name: 'Stop syncing' }).click();

  await startSync(page, newShop(), { user: TILL_1.user, password: 'not-the-password' });
  await statusSays(page, 'Sync stopped: the server refused this user or password. Check them on the Sync page');
  await page.getByRole('button', { name: 'Stop syncing' }).click();

  const missing = newShop();
  await startSync(page, missing, TILL_1);
  await statusSays(page, `Sync stopped: the server has no shop named ${missing}. Check the name on the Sync page, or start the shop there from this device.`);
  await page.getByRole('button', { name: `Start ${missing} on the server` }).waitFor();

  await openOrders(page);
  assert.deepEqual((await orderRows(page)).map((r) => r[1]), ['Kept Locally'], 'nothing local lost');
});

test('the form names each bad field, and keeps the password from being shown again', async () => {
  const page = await device();
  await openView(page, 'Sync');
  await page.getByRole('textbox', { name: 'Server address' }).fill('https://sync.example.com');
  await page.getByRole('textbox', { name: 'Shop' }).fill('stall 17');
  await page.getByRole('button', { name: 'Start syncing' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: 'Sync did not start: Server address: must be a WebSocket address, like wss://sync.example.com; Shop: use only letters, digits, - and _; User: this field is required; Password: this field is required.' })
    .waitFor();
  assert.equal(await syncStatus(page).innerText(), 'Not synced: this browser holds your shop\'s only copy. No backup downloaded yet (0 orders).');

  const shop = newShop();
  await startShop(page, shop);
  await page.getByRole('button', { name: 'Stop syncing' }).click();
  await page.getByRole('button', { name: 'Start syncing' }).waitFor();
  assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password is not shown back');
  assert.equal(await page.getByLabel('Password').getAttribute('placeholder'), 'saved on this device');
  await page.getByRole('button', { name: 'Start syncing' }).click();
  await statusSays(page, /^Synced/);
});

/** Opens a WebSocket to `url` in the page: 'blocked' when the page's policy refuses it. */
function connectFromPage(page, url) {
  return page.evaluate(
    (url) =>
      new Promise((done) => {
        document.addEventListener('securitypolicyviolation', () => done('blocked'), { once: true });
        const socket = new WebSocket(url);
        socket.onopen = () => {
          socket.close();
          done('open');
        };
        socket.onerror = () => setTimeout(() => done('failed'), 500);
      }),
    url,
  );
}

test('the page may connect to the configured sync server and to no other', async () => {
  const page = await device();
  assert.equal(await connectFromPage(page, SERVER), 'blocked', 'before sync is set up: no server');
  await startShop(page, newShop());
  assert.equal(await connectFromPage(page, SERVER), 'open', 'the configured server');
  assert.equal(await connectFromPage(page, 'ws://127.0.0.1:9'), 'blocked', 'another port');
  assert.equal(await connectFromPage(page, 'wss://sync.example.com'), 'blocked', 'another host');
});

test('another shop’s device sees none of this shop’s orders', async () => {
  const shop = newShop();
  const mine = await device();
  await startShop(mine, shop);
  await openOrders(mine);
  await createOrder(mine, { customer: 'Shop A Customer' });
  await statusSays(mine, /^Synced/);

  const theirs = await device();
  await startSync(theirs, shop, OTHER_SHOP);
  await statusSays(theirs, `the server has no shop named ${shop}`);
  await theirs.getByRole('button', { name: `Start ${shop} on the server` }).click();
  await statusSays(theirs, /^Synced/);
  await openOrders(theirs);
  assert.deepEqual(await orderRows(theirs), []);
  assert.equal((await storedEvents(theirs)).length, 0);
});

test('a read-only device shows the shop and offers no change', async () => {
  const shop = newShop();
  const till = await device();
  await startShop(till, shop);
  await openOrders(till);
  await createOrder(till, { customer: 'Shown Everywhere', quantity: '2', unitPrice: '3' });
  await statusSays(till, /^Synced/);

  const laptop = await device();
  await startSync(laptop, shop, READER);
  await statusSays(laptop, /^Synced/);
  await laptop.getByRole('note').filter({ hasText: 'This device only reads the shop' }).first().waitFor();
  await openOrders(laptop);
  await row(laptop, 'Shown Everywhere').waitFor();
  assert.equal(await laptop.getByRole('button', { name: 'Create order' }).count(), 0, 'no new-order form');
  await row(laptop, 'Shown Everywhere').getByRole('link').first().click();
  await laptop.getByRole('heading', { name: 'Order #1001' }).waitFor();
  assert.equal(await laptop.getByRole('button', { name: 'Place order' }).count(), 0, 'no order actions');
  assert.deepEqual(await dashboardTiles(laptop), await dashboardTiles(till));
});

test('a device with orders of its own is not joined to a shop with orders until the seller chooses', async () => {
  const shop = newShop();
  const till = await device();
  await startShop(till, shop);
  await openOrders(till);
  await createOrder(till, { customer: 'The Shop’s Order' });
  await statusSays(till, /^Synced/);

  const other = await device();
  await createOrder(other, { customer: 'This Device’s Order' });
  await startSync(other, shop, TILL_2);
  await statusSays(other, 'Sync stopped: this device and the shop both have orders');
  const choice = other.getByRole('region', { name: 'This device and the shop both have orders' });
  const download = other.waitForEvent('download');
  await choice.getByRole('button', { name: 'Download a backup' }).click();
  assert.equal((await download).suggestedFilename(), 'orderlog-backup.ndjson');
  await choice.getByRole('button', { name: 'Start fresh from the shop' }).click();
  await statusSays(other, /^Synced/);
  await openOrders(other);
  await row(other, 'The Shop’s Order').waitFor();
  assert.deepEqual(await hashes(other), await hashes(till));
});

test('the backup reminder comes after the set number of orders, and after Not now only at the next', async () => {
  const page = await device();
  await openView(page, 'Import');
  await page.getByRole('textbox', { name: 'Remind me to back up every (orders)' }).fill('2');
  await page.getByRole('button', { name: 'Save reminder' }).click();
  await page.getByRole('status').filter({ hasText: 'A reminder comes every 2 orders without a backup.' }).waitFor();
  await openOrders(page);
  const reminder = page.getByRole('note').filter({ hasText: 'Download a backup now' });

  await createOrder(page, { customer: 'One' });
  assert.equal(await reminder.count(), 0);
  await createOrder(page, { customer: 'Two' });
  await reminder.waitFor();
  await reminder.getByRole('button', { name: 'Not now' }).click();
  await reminder.waitFor({ state: 'detached' });
  await createOrder(page, { customer: 'Three' });
  assert.equal(await reminder.count(), 0, 'not again before the next threshold');
  await createOrder(page, { customer: 'Four' });
  await reminder.waitFor();

  const download = page.waitForEvent('download');
  await reminder.getByRole('button', { name: 'Download a backup' }).click();
  await download;
  await reminder.waitFor({ state: 'detached' });
  await statusSays(page, /Last backup \d{4}-\d\d-\d\d \d\d:\d\d UTC, 0 orders since\./);
});

/** A port nothing listens on now. */
async function freePort() {
  const probe = createServer();
  await new Promise((ready) => probe.listen(0, '127.0.0.1', ready));
  const { port } = probe.address();
  await new Promise((done) => probe.close(done));
  return port;
}

/**
 * A sync server of this test's own (the test command's binary, sync/dev.conf), its data in
 * `dir`, so that the test can stop it and start it again on the same ports and data.
 */
async function ownServer(dir, ports) {
  const env = { ...process.env, ORDERLOG_NATS_PORT: String(ports.nats), ORDERLOG_NATS_WS_PORT: String(ports.ws) };
  const server = spawn(process.env.ORDERLOG_NATS_SERVER, ['-c', 'sync/dev.conf', '-sd', dir], { env, stdio: 'ignore' });
  for (let tries = 0; tries < 100; tries += 1) {
    const up = await new Promise((done) => {
      const socket = createServer().listen(ports.ws, '127.0.0.1');
      socket.on('listening', () => socket.close(() => done(false)));
      socket.on('error', () => done(true));
    });
    if (up) return server;
    await new Promise((done) => setTimeout(done, 100));
  }
  server.kill('SIGKILL');
  throw new Error('the test’s own sync server did not start');
}

test('the server stopped while a device works, then started again: nothing lost, nothing doubled', async () => {
  assert.ok(process.env.ORDERLOG_NATS_SERVER, 'ORDERLOG_NATS_SERVER names the server binary (scripts/test)');
  const dir = await mkdtemp(join(tmpdir(), 'orderlog-nats-'));
  const ports = { nats: await freePort(), ws: await freePort() };
  const address = `ws://127.0.0.1:${ports.ws}`;
  let server = await ownServer(dir, ports);
  try {
    const shop = newShop();
    const till1 = await device();
    const till2 = await device();
    await startSync(till1, shop, TILL_1, address);
    await till1.getByRole('button', { name: `Start ${shop} on the server` }).click();
    await statusSays(till1, /^Synced/);
    await startSync(till2, shop, TILL_2, address);
    await statusSays(till2, /^Synced/);
    await openOrders(till1);
    await createOrder(till1, { customer: 'Before The Stop' });
    await openOrders(till2);
    await row(till2, 'Before The Stop').waitFor({ timeout: 20_000 });

    server.kill('SIGKILL');
    await new Promise((done) => server.once('exit', done));
    await statusSays(till1, `Sync stopped: no sync server answers at ${address}`);
    await createOrder(till1, { customer: 'While Stopped 1' });
    await createOrder(till1, { customer: 'While Stopped 2' });

    server = await ownServer(dir, ports);
    await statusSays(till1, /^Synced/, 60_000);
    await openOrders(till2);
    await row(till2, 'While Stopped 2').waitFor({ timeout: 60_000 });
    await statusSays(till2, /^Synced/, 60_000);

    const customers = (page) => orderRows(page).then((rows) => rows.map((r) => r[1]).sort());
    assert.deepEqual(await customers(till2), ['Before The Stop', 'While Stopped 1', 'While Stopped 2']);
    assert.deepEqual(await customers(till1), await customers(till2));
    const events = await storedEvents(till1);
    assert.equal(new Set(events.map((e) => `${e.stream_id}/${e.stream_version}`)).size, events.length, 'no event twice');
    assert.deepEqual(await hashes(till2), await hashes(till1), 'one log, hash for hash');
  } finally {
    server.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});

test('a new device joins a shop imported on another, and shows the same dashboard', async () => {
  const shop = newShop();
  const till1 = await device();
  await importGeneratedOrders(till1, 300);
  await startShop(till1, shop);
  await statusSays(till1, /^Synced/, 180_000);
  const figures = await dashboardTiles(till1);
  assert.equal(wholeGeneratedOrders(figures), 300);

  const till2 = await device();
  await startSync(till2, shop, TILL_2);
  // A shop more than 1,000 events ahead shows the pull's progress; the app stays usable.
  await till2
    .locator('.sync-status')
    .filter({ has: till2.getByRole('progressbar', { name: 'Sync progress' }), hasText: /Syncing: \d+ of \d+ changes from the shop/ })
    .waitFor();
  await statusSays(till2, /^Synced/, 120_000);
  assert.deepEqual(await dashboardTiles(till2), figures);
  assert.deepEqual(await hashes(till2), await hashes(till1), 'one log, hash for hash');
});
