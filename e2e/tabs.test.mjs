// Two tabs on one profile: what one writes, the other shows without a reload.
import { after, afterEach, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, orderRows, serveStatic, storedEvents } from './support.mjs';

let site;
let browser;

before(async () => {
  site = await serveStatic(process.env.ORDERLOG_DIST ?? 'dist');
});
after(async () => {
  await site.close();
});
beforeEach(async () => {
  browser = await launchBrowser();
});
afterEach(async () => {
  await browser.close();
  assert.deepEqual(browser.errors, [], 'the pages threw no errors');
});

async function openTab() {
  const page = await browser.context.newPage();
  await page.goto(site.url);
  await page.getByRole('button', { name: 'Create order' }).waitFor();
  return page;
}

async function createOrder(page, customer, quantity, price) {
  await page.getByRole('textbox', { name: 'Customer', exact: true }).fill(customer);
  await page.getByRole('textbox', { name: 'SKU', exact: true }).fill('TEA-1');
  await page.getByRole('textbox', { name: 'Quantity', exact: true }).fill(quantity);
  await page.getByRole('textbox', { name: 'Unit price', exact: true }).fill(price);
  await page.getByRole('button', { name: 'Create order' }).click();
}

const row = (page, customer) =>
  page.getByRole('table', { name: 'Orders' }).getByRole('row').filter({ hasText: customer });

test('an order created in one tab appears in the other without a reload, once', async () => {
  const left = await openTab();
  const right = await openTab();

  await createOrder(left, 'Ada Lovelace', '2', '5');
  await row(right, 'Ada Lovelace').waitFor();
  await createOrder(right, 'Grace Hopper', '1', '7.25');
  await row(left, 'Grace Hopper').waitFor();

  const expected = [
    ['#1002', 'Grace Hopper', '1', '7.25'],
    ['#1001', 'Ada Lovelace', '2', '10.00'],
  ];
  assert.deepEqual(await orderRows(left), expected);
  assert.deepEqual(await orderRows(right), expected);
});

test('placing and paying an order in one tab updates the other tab’s dashboard', async () => {
  const left = await openTab();
  const right = await openTab();
  await right.getByRole('link', { name: 'Dashboard', exact: true }).click();
  const tile = (title) => right.getByRole('group', { name: title, exact: true }).locator('.value');
  await tile('Orders').filter({ hasText: '0' }).waitFor();

  await createOrder(left, 'Ada Lovelace', '2', '5');
  await left.getByRole('link', { name: '#1001', exact: true }).click();
  await left.getByRole('button', { name: 'Place order', exact: true }).click();
  await tile('Orders').filter({ hasText: '1' }).waitFor();
  assert.equal(await tile('Outstanding').innerText(), '10.00');

  await left.getByRole('textbox', { name: 'Payment amount', exact: true }).fill('10');
  await left.getByRole('button', { name: 'Record payment', exact: true }).click();
  await tile('Collected').filter({ hasText: '10.00' }).waitFor();
  assert.equal(await tile('Outstanding').innerText(), '0.00');
});

/** Order #1001 of 10.00, placed in a left tab on its page; a right tab open on the orders. */
async function placedOrderInTwoTabs() {
  const left = await openTab();
  await createOrder(left, 'Ada Lovelace', '2', '5');
  await left.getByRole('link', { name: '#1001', exact: true }).click();
  await left.getByRole('button', { name: 'Place order', exact: true }).click();
  return { left, right: await openTab() };
}

test('two tabs paying the same balance at once: one payment is recorded, the other tab says why', async () => {
  const { left, right } = await placedOrderInTwoTabs();
  await right.goto(left.url());
  await right.getByRole('button', { name: 'Record payment', exact: true }).waitFor();

  for (const page of [left, right]) {
    await page.getByRole('textbox', { name: 'Payment amount', exact: true }).fill('10');
  }
  await Promise.all([left, right].map((page) => page.getByRole('button', { name: 'Record payment', exact: true }).click()));

  const refusals = await Promise.all([left, right].map(async (page) => {
    // Each tab ends showing the one payment (its own or the other's), its command settled.
    await page.getByText('Payment of 10.00 USD received').waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('button')]
      .filter((b) => b.textContent === 'Record payment').every((b) => !b.disabled));
    const alerts = await page.getByRole('group', { name: 'Payment' }).getByRole('alert').allInnerTexts();
    return alerts.filter((text) => text.trim() !== '');
  }));
  const payments = (await storedEvents(left)).filter((e) => e.event_type === 'PaymentRecorded').length;
  assert.equal(payments, 1, 'exactly one payment is stored');
  const refused = refusals.flat();
  assert.equal(refused.length, 1, `one tab was refused: ${JSON.stringify(refusals)}`);
  assert.match(refused[0], /^Not saved: .*exceeds the balance due of 0\.00/);
});

test('what a tab has typed on an order, and a refusal it shows, stay while another tab changes the order', async () => {
  const { left, right } = await placedOrderInTwoTabs();
  // Opened from the list, the page is drawn with the order at once.
  await right.getByRole('link', { name: '#1001', exact: true }).click();
  const field = (page, name) => page.getByRole('textbox', { name, exact: true });
  await field(right, 'Payment amount').waitFor();

  await field(right, 'Payment amount').fill('4');
  await field(right, 'Note').fill('half typed');
  await field(right, 'Tag').fill('gift, rush');
  await right.getByRole('button', { name: 'Add tag', exact: true }).click();
  const refusal = right.getByRole('group', { name: 'Tags' }).getByRole('alert');
  await refusal.filter({ hasText: /\S/ }).waitFor();
  const refused = await refusal.innerText();

  await field(left, 'Payment amount').fill('3');
  await left.getByRole('button', { name: 'Record payment', exact: true }).click();
  await right.getByText('Payment of 3.00 USD received').waitFor();
  // The right tab's payment control was drawn again for the new balance due.
  await right.getByRole('group', { name: 'Refund' }).waitFor();
  assert.equal(await field(right, 'Payment amount').inputValue(), '4');
  assert.equal(await field(right, 'Note').inputValue(), 'half typed');
  assert.equal(await field(right, 'Tag').inputValue(), 'gift, rush');
  assert.equal(await refusal.innerText(), refused);
  // What a tab saved is done with: its fields start again from what the order now needs.
  await left.waitForFunction(() => document.querySelector('#control-payment-amount')?.value === '7.00');
  await field(left, 'Note').fill('paid in part');
  await left.getByRole('button', { name: 'Add note', exact: true }).click();
  await left.getByText(/— paid in part$/).waitFor();
  await left.waitForFunction(() => document.querySelector('#control-notes-note')?.value === '');
});

test('a newer version opening the data in another tab is not kept waiting; this tab says to reload', async () => {
  const old = await openTab();
  await createOrder(old, 'Ada Lovelace', '1', '2');
  await row(old, 'Ada Lovelace').waitFor();

  // A newer orderlog: a later schema version, opened from a second tab of the same site.
  const newer = await browser.context.newPage();
  await newer.goto(`${site.url}manifest.webmanifest`);
  const opened = await newer.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('orderlog', 1_000);
    open.onblocked = () => resolve('blocked');
    open.onsuccess = () => {
      open.result.close();
      resolve('opened');
    };
    open.onerror = () => resolve(`failed: ${open.error}`);
  }));
  assert.equal(opened, 'opened');

  const banner = old.getByRole('alert').filter({ hasText: 'A newer version of orderlog opened in another tab' });
  await banner.waitFor();
  assert.match(await banner.innerText(), /Nothing was lost/);
  assert.equal(await old.getByRole('button', { name: 'Create order' }).isDisabled(), true, 'no command goes to a closed connection');
  await banner.getByRole('button', { name: 'Reload this tab' }).waitFor();
});
