// Importing a messy Shopify export through the UI: the preview names the rejected rows,
// the import gives the dashboard computed by hand, and importing again adds nothing.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { shopifyCsv } from '../bench/shopify-csv.mjs';
import { dashboardTiles, importGeneratedOrders, wholeGeneratedOrders, withApp } from './support.mjs';

const EXPORT = fileURLToPath(new URL('../tests/fixtures/shopify_messy.csv', import.meta.url));
const app = withApp();
let site;
let browser;
let page;
beforeEach(() => {
  ({ site, browser, page } = app);
});

async function importFile() {
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel('Shopify orders CSV').setInputFiles(EXPORT);
  await page.getByText('6 orders with 8 line items will be imported; 2 rejected.').waitFor();
  await page.getByRole('button', { name: 'Import 6 orders' }).click();
  const done = page.getByRole('status').filter({ hasText: /^Done: the import wrote/ });
  await done.waitFor();
  return done.innerText();
}

test('the preview names each rejected row, and the import gives the hand-computed dashboard', async () => {
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel('Shopify orders CSV').setInputFiles(EXPORT);
  const rejected = page.getByRole('table', { name: 'Rejected rows' });
  await rejected.waitFor();
  const rows = await rejected.locator('tbody tr').allInnerTexts();
  assert.equal(rows.length, 2);
  assert.match(rows[0], /^11\s+#1007\s+.*Lineitem quantity "0": must be at least 1/);
  assert.match(rows[1], /^12\s+#1008\s+.*Total 9\.99 is not its lines, tax and shipping \(5\.00\)/);
  assert.equal(await page.getByRole('link', { name: '#1001' }).count(), 0, 'nothing written before importing');

  await importFile();
  assert.deepEqual(await dashboardTiles(page), {
    Orders: '6', Cancelled: '1', 'Open orders': '3', Sales: '86.00', Refunds: '17.00', 'Net sales': '69.00',
    Collected: '54.00', Outstanding: '15.00', 'Average order value': '17.20', Units: '12',
  });
});

test('importing the same file twice adds nothing', async () => {
  const first = await importFile();
  assert.doesNotMatch(first, /wrote 0 events/);
  await page.reload();
  await page.getByLabel('Shopify orders CSV').waitFor();
  const second = await importFile();
  assert.match(second, /wrote 0 events/);
});

test('a file that is not an orders export is refused with the reason', async () => {
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel('Shopify orders CSV').setInputFiles({ name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('Name,Email\n#1,a@b.c\n') });
  await page.getByRole('alert').filter({ hasText: 'This file cannot be imported: this is not a Shopify orders export: the column Lineitem quantity is missing.' }).waitFor();
});

test('the orders export back out in Shopify’s layout', async () => {
  await importFile();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export orders as Shopify CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'orderlog-orders.csv');
  const { readFile } = await import('node:fs/promises');
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trim().split('\n');
  assert.match(lines[0], /^Name,Email,Financial Status,Paid at,Fulfillment Status/);
  assert.ok(csv.includes('"Lovelace, Ada"'), csv);
  assert.equal(lines.filter((line) => line.startsWith('#100')).length, 8, 'one row per line item of the six orders');
  assert.match(csv, /"Leave at ""back door""\r?\nThanks"/, 'the note keeps its quotes and its line break');
});

test('the event log downloads as a backup file with its header', async () => {
  await importFile();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download a backup of the event log' }).click(),
  ]);
  const { readFile } = await import('node:fs/promises');
  const lines = (await readFile(await download.path(), 'utf8')).trim().split('\n');
  const header = JSON.parse(lines[0]);
  assert.deepEqual([header.format, header.version, header.events], ['orderlog-backup', 1, lines.length - 1]);
  const last = JSON.parse(lines.at(-1));
  assert.equal(header.head_hash, last.hash);
  assert.equal(last.seq, lines.length - 1);
});

test('a backup restores the shop as it was; a damaged one is refused and changes nothing', async () => {
  await importFile();
  const before = await dashboardTiles(page);
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download a backup of the event log' }).click(),
  ]);
  const backup = await download.path();

  await page.getByRole('link', { name: 'Orders', exact: true }).click();
  await page.getByRole('textbox', { name: 'Customer', exact: true }).fill('After the backup');
  await page.getByRole('textbox', { name: 'SKU', exact: true }).fill('TEA-1');
  await page.getByRole('textbox', { name: 'Unit price', exact: true }).fill('1');
  await page.getByRole('button', { name: 'Create order' }).click();
  await page.getByRole('row').filter({ hasText: 'After the backup' }).waitFor();

  const { readFile } = await import('node:fs/promises');
  const damaged = (await readFile(backup, 'utf8')).replace('Lovelace, Ada', 'Lovelace, Eve');
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel('Backup file').setInputFiles({ name: 'damaged.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(damaged) });
  await page.getByRole('alert').filter({ hasText: /^This backup cannot be restored: event \d+ does not match its hash/ }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Restore backup' }).count(), 0);

  await page.getByLabel('Backup file').setInputFiles(backup);
  await page.getByRole('status').filter({ hasText: /^A sound backup of \d+ events\.$/ }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Restore backup' }).isDisabled(), true, 'replacing needs a confirmation');
  await page.getByRole('checkbox', { name: /Replace the \d+ events in this browser with the backup/ }).check();
  await page.getByRole('button', { name: 'Restore backup' }).click();
  await page.getByRole('status').filter({ hasText: 'Backup restored.' }).waitFor();

  assert.deepEqual(await dashboardTiles(page), before);
  await page.getByRole('link', { name: 'Orders', exact: true }).click();
  await page.getByRole('link', { name: '#1001', exact: true }).waitFor();
  assert.equal(await page.getByRole('row').filter({ hasText: 'After the backup' }).count(), 0);
});

test('Stop ends a long import after whole orders, and the shop keeps what was written', async () => {
  const ORDERS = 3_000;
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel('Shopify orders CSV').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(shopifyCsv(ORDERS)) });
  await page.getByRole('button', { name: `Import ${ORDERS} orders` }).click();
  await page.waitForFunction(() => Number(document.querySelector('progress[aria-label="Imported"]')?.value) > 1_000, null, { polling: 10, timeout: 60_000 });
  await page.getByRole('button', { name: 'Stop importing' }).click();

  const stopped = page.getByRole('status').filter({ hasText: /^Stopped: the import wrote \d+ events, whole orders only\./ });
  await stopped.waitFor({ timeout: 60_000 });
  const orders = wholeGeneratedOrders(await dashboardTiles(page));
  assert.ok(orders > 0 && orders < ORDERS, `stopped midway: ${orders} orders`);
});

test('the dashboard counts every back-ordered line and lists the first twenty, each linking to its imported order', async () => {
  await importGeneratedOrders(page, 100, { timeout: 60_000 });

  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  const section = page.getByRole('region', { name: 'Back-ordered lines' });
  const summary = await section.getByText(/lines? waits? for/).innerText();
  const [, lines, units] = summary.match(/^(\d+) lines wait for (\d+) units\. The first 20, by order number, are listed here\.$/) ?? [];
  // No stock was ever received: each unshipped line waits for its two units.
  assert.ok(Number(lines) > 20 && Number(units) === 2 * Number(lines), summary);
  const table = section.getByRole('table', { name: 'Back-ordered lines' });
  assert.equal(await table.locator('tbody tr').count(), 20);
  const first = table.locator('tbody tr').first().getByRole('link');
  const number = await first.innerText();
  await first.click();
  await page.getByRole('heading', { name: `Order ${number}`, exact: true }).waitFor();

  // An imported order's id holds its Shopify name (#100000): its page opens from the list too.
  await page.getByRole('link', { name: 'Orders', exact: true }).click();
  const listed = page.getByRole('link', { name: /^#\d+$/ }).first();
  const listedNumber = await listed.innerText();
  await listed.click();
  await page.getByRole('heading', { name: `Order ${listedNumber}`, exact: true }).waitFor();
});
