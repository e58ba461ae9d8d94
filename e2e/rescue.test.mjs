// If the app stops on an error (a panic), the page is replaced by what happened and a way to
// take the orders out: a backup downloaded straight from IndexedDB, which a working
// orderlog restores.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launchBrowser, withApp } from './support.mjs';

const app = withApp();
let site;
let page;
beforeEach(() => {
  ({ site, page } = app);
});

test('the rescue view downloads the log as a backup a fresh orderlog restores', async () => {
  await page.getByRole('textbox', { name: 'Customer', exact: true }).fill('Ada Lovelace');
  await page.getByRole('textbox', { name: 'SKU', exact: true }).fill('TEA-1');
  await page.getByRole('textbox', { name: 'Unit price', exact: true }).fill('2');
  await page.getByRole('button', { name: 'Create order' }).click();
  await page.getByRole('row').filter({ hasText: 'Ada Lovelace' }).waitFor();

  // What the panic hook calls with the panic's message.
  await page.evaluate(() => window.orderlogRescue('panicked at src/somewhere.rs:1:1: <b>not markup</b>'));
  await page.getByRole('heading', { name: 'orderlog stopped because of an error' }).waitFor();
  await page.getByText('panicked at src/somewhere.rs:1:1: <b>not markup</b>').waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download a backup of the event log' }).click(),
  ]);
  await page.getByRole('status').filter({ hasText: 'Downloaded 2 events.' }).waitFor();
  const backup = await readFile(await download.path(), 'utf8');
  assert.equal(JSON.parse(backup.split('\n')[0]).events, 2);

  // A fresh browser restores it.
  const other = await launchBrowser();
  try {
    const fresh = await other.context.newPage();
    await fresh.goto(site.url);
    await fresh.getByRole('link', { name: 'Import', exact: true }).click();
    await fresh.getByLabel('Backup file').setInputFiles({ name: 'orderlog-backup.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(backup) });
    await fresh.getByRole('status').filter({ hasText: 'A sound backup of 2 events.' }).waitFor();
    await fresh.getByRole('button', { name: 'Restore backup' }).click();
    await fresh.getByRole('status').filter({ hasText: 'Backup restored.' }).waitFor();
    await fresh.getByRole('link', { name: 'Orders', exact: true }).click();
    await fresh.getByRole('row').filter({ hasText: 'Ada Lovelace' }).waitFor();
    assert.deepEqual(other.errors, []);
  } finally {
    await other.close();
  }
});
