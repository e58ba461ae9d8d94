// Customers and the quick sale (issue 20): a customer with three orders, one of them partly
// returned, their page's figures checked against sums worked by hand; sales picked from the
// catalogue by the first letters of each product; a duplicate customer made from the
// new-order form and merged into the record kept; the dashboard's customer figures.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openView, serveStatic, withBrowser } from './support.mjs';
import { control, history, openOrder, stock } from './shop.mjs';

let site;
before(async () => {
  site = await serveStatic(process.env.ORDERLOG_DIST ?? 'dist');
});
after(async () => {
  await site.close();
});

/** A browser in en-US, its clock stopped on 30 November 2026, with the app open. */
const withDesk = (run) => withBrowser(site, { locale: 'en-US', now: new Date('2026-11-30T15:00:00Z') }, run);

/** Counts the clicks and keys a seller spends, after typing the first letters of each product. */
function tally(page) {
  let taps = 0;
  return {
    tap: async (locator) => { taps += 1; await locator.click(); },
    press: async (key) => { taps += 1; await page.keyboard.press(key); },
    get taps() { return taps; },
  };
}

/** A quick sale on the orders page: the customer picked, each product by its first letters. */
async function quickSale(page, customer, picks, { keep = false } = {}) {
  await openView(page, 'Orders');
  const form = page.getByRole('form', { name: 'New order' });
  await form.getByRole('textbox', { name: 'Customer', exact: true }).fill(customer);
  if (keep) await form.getByRole('checkbox', { name: 'Add to customers' }).check();
  const seller = tally(page);
  for (const [letters, name] of picks) {
    await form.getByRole('textbox', { name: 'SKU', exact: true }).fill(letters);
    await seller.tap(form.getByRole('button', { name: new RegExp(`^Add ${name} \\(`) }));
  }
  return { form, seller };
}

async function figure(page, term) {
  return page.locator('dl.facts dt').filter({ hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]').innerText();
}

test('a customer with three orders, one partly returned, shows what they spent and owe', async () => {
  await withDesk(async (page) => {
    await stock(page, [['TEA-1', 'Tea', '4.50', '10'], ['CUP-1', 'Cup', '12.00', '5'], ['POT-1', 'Pot', '30.00', '2']]);
    await openView(page, 'Customers');
    await control(page, 'New customer', { Name: 'Grace Hopper', Email: 'grace@example.com', Phone: '+1 555 0100', Tags: 'regular' }, 'Add customer');
    await page.getByRole('link', { name: 'Grace Hopper' }).waitFor();

    // Three catalogue items: a tap each after their first letters, then Create order.
    const { form, seller } = await quickSale(page, 'Grace Hopper <grace@example.com>', [['te', 'Tea'], ['cu', 'Cup'], ['po', 'Pot']]);
    assert.equal(await form.locator('output').innerText(), '$46.50', 'the running total');
    await seller.tap(form.getByRole('button', { name: 'One more Tea' }));
    assert.equal(await form.locator('output').innerText(), '$51.00');
    await seller.tap(form.getByRole('button', { name: 'One fewer Tea' }));
    await seller.tap(form.getByRole('button', { name: 'Create order' }));
    await page.getByRole('status').filter({ hasText: 'Order for Grace Hopper saved.' }).waitFor();
    assert.ok(seller.taps <= 10, `${seller.taps} taps`);

    // Enter in the SKU field takes the first match.
    await quickSale(page, 'Grace Hopper <grace@example.com>', [['cu', 'Cup']]);
    await page.getByRole('button', { name: 'Create order' }).click();
    await page.getByRole('row').filter({ hasText: '#1002' }).waitFor();
    await openView(page, 'Orders');
    // Picked by the first letters of the name.
    await page.getByRole('textbox', { name: 'Customer', exact: true }).fill('gra');
    await page.getByRole('button', { name: 'Pick Grace Hopper <grace@example.com>' }).click();
    await page.getByRole('textbox', { name: 'SKU', exact: true }).fill('tea');
    await page.getByRole('textbox', { name: 'SKU', exact: true }).press('Enter');
    await page.getByRole('list', { name: 'Lines on this order' }).getByText('Tea (TEA-1)').waitFor();
    await page.getByRole('button', { name: 'Create order' }).click();
    await page.getByRole('row').filter({ hasText: '#1003' }).waitFor();

    // #1001: 46.50 paid in cash and handed over; the cup comes back to stock, 12.00 refunded.
    await openOrder(page, '#1001');
    await page.getByRole('link', { name: 'Grace Hopper' }).waitFor();
    await page.getByRole('button', { name: 'Place order' }).click();
    await control(page, 'Payment', { 'Payment amount': '46.50' }, 'Record payment');
    await history(page, 'Payment of 46.50 USD received in cash');
    await page.getByRole('button', { name: 'Fulfil all remaining' }).click();
    await page.getByRole('region', { name: 'Return' }).getByRole('button', { name: 'One more Cup' }).click();
    await page.getByRole('button', { name: 'Record return' }).click();
    await history(page, 'Refund of 12.00 USD given in cash');
    // #1002: 5.00 of 12.00 by card. #1003: 4.50 in cash.
    await openOrder(page, '#1002');
    await page.getByRole('button', { name: 'Place order' }).click();
    await control(page, 'Payment', { 'Payment amount': '5' }, undefined);
    await page.getByRole('group', { name: 'Payment', exact: true }).getByRole('combobox', { name: 'Payment method' }).selectOption('Card');
    await page.getByRole('button', { name: 'Record payment' }).click();
    await history(page, 'Payment of 5.00 USD received by card');
    await openOrder(page, '#1003');
    await page.getByRole('button', { name: 'Place order' }).click();
    await control(page, 'Payment', { 'Payment amount': '4.50' }, 'Record payment');
    await history(page, 'Payment of 4.50 USD received in cash');

    await openView(page, 'Customers');
    await page.getByRole('link', { name: 'Grace Hopper' }).click();
    await page.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
    // Spent: 46.50 − 12.00 + 5.00 + 4.50 = 44.00; owes the 7.00 left on #1002.
    assert.equal(await figure(page, 'Orders'), '3');
    assert.equal(await figure(page, 'Spent'), '44.00');
    assert.equal(await figure(page, 'Owes'), '7.00');
    assert.equal(await figure(page, 'Tags'), 'regular');
    const orders = page.getByRole('table', { name: 'Orders' });
    assert.deepEqual(await orders.getByRole('rowheader').allInnerTexts(), ['#1003', '#1002', '#1001']);

    await openView(page, 'Dashboard');
    assert.equal(await page.getByRole('group', { name: 'Customers', exact: true }).locator('.value').innerText(), '1');
    assert.equal(await page.getByRole('group', { name: 'Repeat customers', exact: true }).locator('.value').innerText(), '1');
  });
});

test('a customer typed on the new-order form is kept when asked, and a duplicate merges into the record kept', async () => {
  await withDesk(async (page) => {
    await stock(page, [['TEA-1', 'Tea', '4.50', '10']]);
    await openView(page, 'Customers');
    await control(page, 'New customer', { Name: 'Ada Lovelace', Email: 'ada@example.com' }, 'Add customer');
    await page.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    await quickSale(page, 'Ada Lovelace <ada@example.com>', [['te', 'Tea']]);
    await page.getByRole('button', { name: 'Create order' }).click();
    await page.getByRole('row').filter({ hasText: '#1001' }).waitFor();
    // The same person, typed by another name and kept as a new customer.
    await quickSale(page, 'A. Lovelace', [['te', 'Tea']], { keep: true });
    await page.getByRole('button', { name: 'Create order' }).click();
    await page.getByRole('row').filter({ hasText: '#1002' }).waitFor();
    for (const number of ['#1001', '#1002']) {
      await openOrder(page, number);
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.getByRole('button', { name: 'Record payment' }).waitFor();
    }
    await openView(page, 'Dashboard');
    assert.equal(await page.getByRole('group', { name: 'Customers', exact: true }).locator('.value').innerText(), '2');

    await openView(page, 'Customers');
    await page.getByRole('link', { name: 'A. Lovelace' }).click();
    await page.getByRole('heading', { name: 'A. Lovelace' }).waitFor();
    assert.equal(await figure(page, 'Orders'), '1');
    await page.getByRole('combobox', { name: 'The same person as' }).selectOption('Ada Lovelace <ada@example.com>');
    await page.getByRole('button', { name: 'Merge' }).click();
    await page.getByRole('note').filter({ hasText: 'Merged into' }).waitFor();
    await page.getByRole('link', { name: 'the customer kept' }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();
    assert.equal(await figure(page, 'Orders'), '2');
    await page.getByRole('link', { name: 'A. Lovelace' }).waitFor();

    await openView(page, 'Customers');
    assert.equal(await page.getByRole('link', { name: 'A. Lovelace' }).count(), 0, 'merged away');
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('nobody');
    assert.equal(await page.getByRole('link', { name: 'Ada Lovelace' }).count(), 0);
    await openView(page, 'Dashboard');
    assert.equal(await page.getByRole('group', { name: 'Customers', exact: true }).locator('.value').innerText(), '1');
    assert.equal(await page.getByRole('group', { name: 'Repeat customers', exact: true }).locator('.value').innerText(), '1');

    // A bad email on a customer is refused beside the form, and nothing is written.
    await openView(page, 'Customers');
    await control(page, 'New customer', { Name: 'Linus', Email: 'linus at example' }, 'Add customer');
    await page.getByRole('group', { name: 'New customer' }).getByRole('alert').filter({ hasText: 'Email: must be an email address' }).waitFor();
  });
});
