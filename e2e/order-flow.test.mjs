// User flows of the walking skeleton, acting as a seller would: find controls by role and
// accessible name, type, click, reload.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { descriptionOf, orderRows, storedEventCount, withApp } from './support.mjs';

const app = withApp();
let site;
let browser;
let page;
beforeEach(() => {
  ({ site, browser, page } = app);
});

const createButton = () => page.getByRole('button', { name: 'Create order' });
const field = (name) => page.getByRole('textbox', { name, exact: true });

async function fillOrder({ customer, sku, quantity, price }) {
  await field('Customer').fill(customer);
  await field('SKU').fill(sku);
  await field('Quantity').fill(quantity);
  await field('Unit price').fill(price);
}

async function waitForRows(count) {
  await page.getByRole('table', { name: 'Orders' }).locator('tbody tr').nth(count - 1).waitFor();
}

test('a created order is listed with its total and is still there after a reload', async () => {
  await fillOrder({ customer: 'Ada Lovelace', sku: 'TEA-1', quantity: '3', price: '4.50' });
  await createButton().click();
  await waitForRows(1);
  assert.deepEqual(await orderRows(page), [['#1001', 'Ada Lovelace', '3', '13.50']]);
  await page.getByRole('status').filter({ hasText: 'Order for Ada Lovelace saved.' }).waitFor();

  await fillOrder({ customer: 'Grace Hopper', sku: 'MUG-2', quantity: '2', price: '1,250' });
  await createButton().click();
  await waitForRows(2);

  await page.reload();
  await waitForRows(2);
  assert.deepEqual(await orderRows(page), [
    ['#1002', 'Grace Hopper', '2', '2,500.00'],
    ['#1001', 'Ada Lovelace', '3', '13.50'],
  ]);
  // Each one-line order is stored as OrderCreated followed by LineAdded.
  assert.equal(await storedEventCount(page), 4);
});

test('bad input shows an error beside each field, and nothing is written', async () => {
  await fillOrder({ customer: '  ', sku: 'TEA-1', quantity: '0', price: 'abc' });
  await createButton().click();
  await page.getByText('must be at least 1').waitFor();

  // A field's description is its hint (if it has one), then its error.
  assert.equal(await descriptionOf(field('Customer')), 'Type a name or an email to pick a customer. this field is required');
  assert.equal(await descriptionOf(field('Quantity')), 'must be at least 1');
  assert.equal(await descriptionOf(field('Unit price')), 'must be a number, like 12.50');
  assert.equal(await descriptionOf(field('SKU')), 'Type a SKU or a product\'s name to pick it from the catalogue.');
  assert.equal(await field('Quantity').getAttribute('aria-invalid'), 'true');
  assert.equal(await field('SKU').getAttribute('aria-invalid'), 'false');

  await fillOrder({ customer: 'Ada', sku: 'TEA-1', quantity: '1', price: '-1' });
  await createButton().click();
  await page.getByText('cannot be negative').waitFor();
  assert.equal(await descriptionOf(field('Customer')), 'Type a name or an email to pick a customer.');

  await page.reload();
  await createButton().waitFor();
  await page.getByText('No orders yet.').waitFor();
  assert.deepEqual(await orderRows(page), []);
  assert.equal(await storedEventCount(page), 0);
});

test('the theme preference is restored after a reload', async () => {
  const themeSwitch = page.getByRole('button', { name: 'Dark theme' });
  assert.equal(await themeSwitch.getAttribute('aria-pressed'), 'false');
  await themeSwitch.click();
  assert.equal(await themeSwitch.getAttribute('aria-pressed'), 'true');

  await page.reload();
  await createButton().waitFor();
  assert.equal(await themeSwitch.getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('.app').getAttribute('data-theme'), 'dark');
});

test("the orders view's search, filter and sort are kept for the next visit; its days are not", async () => {
  await fillOrder({ customer: 'Ada Lovelace', sku: 'TEA-1', quantity: '1', price: '2' });
  await createButton().click();
  await waitForRows(1);
  const search = page.getByRole('searchbox', { name: 'Search orders' });
  const status = page.getByRole('combobox', { name: 'Status' });
  const from = page.getByLabel('Created from');
  await search.fill('ada lovelace');
  await status.selectOption('Drafts');
  await page.getByRole('button', { name: 'Total' }).click();
  await from.fill('2026-01-01');
  await page.waitForURL(/from=2026-01-01/);

  // The next visit opens the bare address: what it shows comes from the saved preference.
  await page.goto(site.url);
  await createButton().waitFor();
  await page.waitForURL(/status=drafts/);
  assert.equal(await search.inputValue(), 'ada lovelace');
  assert.equal(await status.evaluate((select) => select.selectedOptions[0].textContent), 'Drafts');
  assert.equal(await page.getByRole('columnheader', { name: 'Total' }).getAttribute('aria-sort'), 'ascending');
  assert.equal(await from.inputValue(), '', 'days are for the task at hand, not kept');
  assert.deepEqual(new URL(page.url()).searchParams.get('q'), 'ada lovelace');
});

