// The event log lists every event newest first, filters, expands envelopes, and its time
// travel shows the orders list as it was after an earlier event.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrder, orderRows, withApp } from './support.mjs';

const app = withApp();
let site;
let browser;
let page;
beforeEach(() => {
  ({ site, browser, page } = app);
});

const eventRows = () => page.getByRole('table', { name: 'Event log' }).locator('tbody tr');

async function eventSeqs() {
  return page.getByRole('table', { name: 'Event log' }).locator('tbody tr th').allInnerTexts();
}

test('the event log lists events newest first, filters them and shows each envelope', async () => {
  await createOrder(page, { customer: 'Ada Lovelace', quantity: '1', unitPrice: '3' });
  await createOrder(page, { customer: 'Grace Hopper', quantity: '2', unitPrice: '3' });
  await page.getByRole('link', { name: 'Event log' }).click();
  await eventRows().nth(3).waitFor();

  // Each order is an OrderCreated and a LineAdded.
  assert.deepEqual(await eventSeqs(), ['4', '3', '2', '1']);
  await page.getByText('Event 1', { exact: true }).click();
  const payload = page.getByRole('table', { name: 'Event log' }).locator('details[open] pre').first();
  assert.match(await payload.innerText(), /"customer": "Ada Lovelace"/);

  await page.getByRole('searchbox', { name: 'Event type' }).fill('NoSuchEvent');
  await page.getByText('No events match.').waitFor();
  await page.getByRole('searchbox', { name: 'Event type' }).fill('OrderCreated');
  await eventRows().nth(1).waitFor();
  assert.deepEqual(await eventSeqs(), ['3', '1']);
});

test('time travel shows the orders list as it was, and returns to live', async () => {
  await createOrder(page, { customer: 'Ada Lovelace', quantity: '1', unitPrice: '3' });
  await createOrder(page, { customer: 'Grace Hopper', quantity: '2', unitPrice: '3' });
  await page.getByRole('link', { name: 'Event log' }).click();
  await page.getByRole('button', { name: 'Show the shop after event 2' }).click();
  await page.getByText('Showing the shop as it was after event 2 of 4.').waitFor();

  await page.getByRole('link', { name: 'Orders' }).click();
  await page.getByRole('row').filter({ hasText: 'Ada Lovelace' }).waitFor();
  assert.deepEqual(await orderRows(page), [['#1001', 'Ada Lovelace', '1', '3.00']]);

  await page.getByRole('button', { name: 'Back to live' }).click();
  await page.getByRole('row').filter({ hasText: 'Grace Hopper' }).waitFor();
  assert.equal((await orderRows(page)).length, 2);
});

test('a deep link opens the event log directly', async () => {
  await createOrder(page, { customer: 'Ada Lovelace', quantity: '1', unitPrice: '3' });
  await page.goto(`${site.url}events`);
  await eventRows().nth(1).waitFor();
  assert.deepEqual(await eventSeqs(), ['2', '1']);
});
