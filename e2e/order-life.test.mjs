// The whole life of an order through the UI, checking the orders list and the order's
// history after each step; and a second order cancelled.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { TILES, createOrder, dashboardTiles, orderRows, withApp } from './support.mjs';

const app = withApp();
let site;
let browser;
let page;
beforeEach(() => {
  ({ site, browser, page } = app);
});

const field = (name) => page.getByRole('textbox', { name, exact: true });
const button = (name) => page.getByRole('button', { name, exact: true });
const STATUS_COLUMNS = ['Order', 'Customer', 'Payment', 'Fulfilment', 'Items', 'Total', 'Balance due'];

async function openOrder(number) {
  await page.getByRole('link', { name: 'Orders', exact: true }).click();
  await page.getByRole('link', { name: number, exact: true }).click();
  await page.getByRole('heading', { name: `Order ${number}` }).waitFor();
}

async function listRow(number) {
  await page.getByRole('link', { name: 'Orders', exact: true }).click();
  await page.getByRole('link', { name: number, exact: true }).waitFor();
  const rows = await orderRows(page, STATUS_COLUMNS);
  return rows.find((row) => row[0] === number);
}

async function history() {
  const items = page.getByRole('region', { name: 'History' }).getByRole('listitem');
  return (await items.allInnerTexts()).map((text) => text.replace(/^.*? — /, '').replace(/ \(event.*$/, ''));
}

async function totals() {
  const rows = page.getByRole('table', { name: 'Totals' }).getByRole('row');
  const figures = {};
  for (const row of await rows.all()) {
    figures[await row.getByRole('rowheader').innerText()] = await row.getByRole('cell').innerText();
  }
  return figures;
}

const dashboard = () => dashboardTiles(page);

function tiles(values) {
  return Object.fromEntries(TILES.map((title, index) => [title, values[index]]));
}

async function step(run, historyLine) {
  await run();
  await page.getByRole('region', { name: 'History' }).getByText(historyLine).waitFor();
}

test('an order goes from draft to paid, fulfilled and partly refunded; another is cancelled', async () => {
  await createOrder(page, { customer: 'Ada Lovelace', quantity: '3', unitPrice: '4.50' });
  assert.deepEqual(await listRow('#1001'), ['#1001', 'Ada Lovelace', 'draft', 'unfulfilled', '3', '13.50', '13.50']);

  await openOrder('#1001');
  await step(async () => {
    await field('SKU').fill('MUG-2');
    await field('Product name').fill('Mug');
    await field('Quantity').fill('2');
    await field('Unit price').fill('12');
    await field('Discount').fill('4');
    await button('Add line').click();
  }, 'Line 2 added: 2 × MUG-2 (Mug) at 12.00, less 4.00');
  await step(async () => {
    await field('Shipping').fill('5');
    await button('Set charges').click();
  }, 'Tax set to 0.00 and shipping to 5.00');
  await step(() => button('Place order').click(), 'Order placed');
  assert.deepEqual((await totals())['Total'], '38.50');
  assert.deepEqual(await dashboard(), tiles(['1', '0', '1', '38.50', '0.00', '38.50', '0.00', '38.50', '38.50', '5']));
  await openOrder('#1001');

  await step(async () => {
    await field('Payment amount').fill('20');
    await page.getByRole('combobox', { name: 'Payment method' }).selectOption('Card');
    await button('Record payment').click();
  }, 'Payment of 20.00 USD received by card');
  assert.deepEqual(await listRow('#1001'), ['#1001', 'Ada Lovelace', 'partially paid', 'unfulfilled', '5', '38.50', '18.50']);
  assert.deepEqual(await dashboard(), tiles(['1', '0', '1', '38.50', '0.00', '38.50', '20.00', '18.50', '38.50', '5']));

  await openOrder('#1001');
  await step(async () => {
    await field('Units of line 1 to fulfil').fill('2');
    await button('Fulfil line 1').click();
  }, 'Fulfilled 2 of line 1');
  await step(async () => {
    await field('Payment amount').fill('18.50');
    await button('Record payment').click();
  }, 'Payment of 18.50 USD received in cash');
  assert.deepEqual(await listRow('#1001'), ['#1001', 'Ada Lovelace', 'paid', 'partially fulfilled', '5', '38.50', '0.00']);

  await openOrder('#1001');
  await step(() => button('Fulfil all remaining').click(), 'Fulfilled 1 of line 1, 2 of line 2');
  await step(async () => {
    await field('Refund amount').fill('5');
    await button('Record refund').click();
  }, 'Refund of 5.00 USD given in cash');
  const totalsAfter = await totals();
  assert.deepEqual([totalsAfter['Paid'], totalsAfter['Refunded'], totalsAfter['Balance due']], ['38.50', '5.00', '0.00']);
  assert.deepEqual(await listRow('#1001'), ['#1001', 'Ada Lovelace', 'partially refunded', 'fulfilled', '5', '38.50', '0.00']);
  assert.deepEqual(await dashboard(), tiles(['1', '0', '0', '38.50', '5.00', '33.50', '33.50', '0.00', '38.50', '5']));

  await openOrder('#1001');
  assert.deepEqual(await history(), [
    'Order created for Ada Lovelace in USD',
    'Line 1 added: 3 × TEA-1 (TEA-1) at 4.50',
    'Line 2 added: 2 × MUG-2 (Mug) at 12.00, less 4.00',
    'Tax set to 0.00 and shipping to 5.00',
    'Order placed',
    'Payment of 20.00 USD received by card',
    'Fulfilled 2 of line 1',
    'Payment of 18.50 USD received in cash',
    'Fulfilled 1 of line 1, 2 of line 2',
    'Refund of 5.00 USD given in cash',
  ]);

  await page.getByRole('link', { name: 'Orders', exact: true }).click();
  await createOrder(page, { customer: 'Grace Hopper', quantity: '1', unitPrice: '4.50' });
  await openOrder('#1002');
  await step(() => button('Place order').click(), 'Order placed');
  await step(async () => {
    await field('Cancellation reason').fill('customer changed her mind');
    await button('Cancel order').click();
  }, 'Order cancelled: customer changed her mind');
  assert.deepEqual(await listRow('#1002'), ['#1002', 'Grace Hopper', 'voided', 'cancelled', '1', '4.50', '4.50']);
  assert.deepEqual(await dashboard(), tiles(['2', '1', '0', '38.50', '5.00', '33.50', '33.50', '0.00', '38.50', '5']));

  // Time travel: the shop as it was right after #1001 was placed (event 7: created, two
  // lines, charges, placed, and the two reservations the stock policy made).
  await page.getByRole('link', { name: 'Event log', exact: true }).click();
  const placed = page.getByRole('row').filter({ hasText: 'OrderPlaced' }).last(); // newest first: the earliest is last
  const seq = await placed.getByRole('rowheader').innerText();
  await placed.getByRole('button', { name: `Show the shop after event ${seq}` }).click();
  await page.getByText(`Showing the shop as it was after event ${seq} of`).waitFor();
  assert.deepEqual(await dashboard(), tiles(['1', '0', '1', '38.50', '0.00', '38.50', '0.00', '38.50', '38.50', '5']));
  await button('Back to live').click();
  await page.getByRole('group', { name: 'Orders', exact: true }).getByText('2').waitFor();
});

test('a refused command shows its reason beside its control and writes nothing', async () => {
  await createOrder(page, { customer: 'Ada Lovelace', quantity: '1', unitPrice: '10' });
  await openOrder('#1001');
  await step(() => button('Place order').click(), 'Order placed');

  await field('Payment amount').fill('11');
  await button('Record payment').click();
  const payment = page.getByRole('group', { name: 'Payment' });
  await payment.getByRole('alert').filter({ hasText: 'Not saved:' }).waitFor();
  assert.match(await payment.getByRole('alert').innerText(), /exceeds the balance due of 10\.00/);

  await field('Payment amount').fill('abc');
  await button('Record payment').click();
  await payment.getByRole('alert').filter({ hasText: 'must be a number, like 12.50' }).waitFor();
  assert.equal((await history()).length, 3, 'created, line added, placed: nothing else');
});

test('a long order shows its latest notes and events, the earlier ones on request, and a note changes nothing else on the page', async () => {
  await createOrder(page, { customer: 'Ada Lovelace', quantity: '3', unitPrice: '4.50' });
  await openOrder('#1001');
  const notes = page.getByRole('region', { name: 'Notes' });
  const addNote = async (n) => {
    await field('Note').fill(`note ${n}`);
    await button('Add note').click();
    await notes.getByText(new RegExp(`— note ${n}$`)).waitFor();
  };
  for (let n = 1; n <= 51; n++) await addNote(n);
  await page.getByRole('region', { name: 'History' }).getByText('Note: note 51').waitFor();

  // Every change to the page while a note is added, by the heading of the part it is in.
  await page.evaluate(() => {
    window.changedParts = new Set();
    new MutationObserver((records) => {
      for (const record of records) {
        const node = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
        window.changedParts.add(node.closest('section')?.querySelector('h2')?.textContent ?? 'outside the parts');
      }
    }).observe(document.querySelector('main'), { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await addNote(52);
  await page.getByRole('region', { name: 'History' }).getByText('Note: note 52').waitFor();
  const changed = await page.evaluate(() => [...window.changedParts].sort());
  assert.ok(changed.includes('Notes') && changed.includes('History'), `changed: ${changed}`);
  assert.deepEqual(changed.filter((part) => !['Actions', 'History', 'Notes'].includes(part)), [], `changed: ${changed}`);

  const noteItems = notes.getByRole('listitem');
  const events = page.getByRole('region', { name: 'History' }).getByRole('listitem');
  assert.equal(await noteItems.count(), 50);
  assert.match(await noteItems.first().innerText(), /— note 3$/);
  assert.equal(await events.count(), 50, 'created, line added and 52 notes: the latest 50');
  await button('Show 2 earlier notes').click();
  assert.equal(await noteItems.count(), 52);
  assert.match(await noteItems.first().innerText(), /— note 1$/);
  assert.equal(await button('Show 2 earlier notes').count(), 0);
  await button('Show 4 earlier events').click();
  assert.equal(await events.count(), 54);
  assert.deepEqual((await history()).slice(0, 3), ['Order created for Ada Lovelace in USD', 'Line 1 added: 3 × TEA-1 (TEA-1) at 4.50', 'Note: note 1']);
});
