// The desk's daily work (issue 20): a return of one line of three, restocked, seen on the
// product's stock and on the day's cash-up; and the cash-up of a day with cash, card and
// transfer payments, checked against figures worked by hand, printed on one page, and its CSV
// read back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openView, serveStatic, storedEventCount, withBrowser } from './support.mjs';
import { control, history, openOrder, sell, setUpShop, stock } from './shop.mjs';

let site;
before(async () => {
  site = await serveStatic(process.env.ORDERLOG_DIST ?? 'dist');
});
after(async () => {
  await site.close();
});

/** A browser in en-US, its clock stopped at `now`, with the app open. */
const withDesk = (now, run) => withBrowser(site, { locale: 'en-US', now }, run);

/** Registers and receives `products`, then waits for the last one's stock. */
async function stockUp(page, products) {
  await stock(page, products);
  const [sku, , , units] = products.at(-1);
  await onHand(page, sku, units);
}

/** Waits until the products view shows `units` on hand for `sku`. */
async function onHand(page, sku, units) {
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: sku, exact: true }) });
  await row.locator('td[data-label="On hand"]').filter({ hasText: new RegExp(`^${units}$`) }).waitFor();
}

/** Sells `lines` (`[sku, name, quantity, price]`) to `customer`, places the order and opens it. */
async function sale(page, number, customer, [first, ...rest]) {
  await sell(page, { customer, sku: first[0], quantity: first[2], unitPrice: first[3] });
  await openOrder(page, number);
  for (const [sku, name, quantity, price] of rest) {
    await control(page, 'Add a line', { SKU: sku, 'Product name': name, Quantity: quantity, 'Unit price': price }, 'Add line');
    await history(page, new RegExp(`added: ${quantity} × ${sku}`));
  }
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByRole('button', { name: 'Record payment' }).waitFor();
}

async function pay(page, amount, method) {
  const group = page.getByRole('group', { name: 'Payment', exact: true });
  await group.getByRole('textbox', { name: 'Payment amount', exact: true }).fill(amount);
  await group.getByRole('combobox', { name: 'Payment method' }).selectOption(method);
  await group.getByRole('button', { name: 'Record payment' }).click();
}

/** The cash-up's money table: each method's row as its cells' text. */
async function moneyByMethod(page) {
  const table = page.getByRole('table', { name: 'Money by method' });
  await table.waitFor();
  const rows = {};
  for (const row of await table.getByRole('row').all()) {
    if ((await row.getByRole('rowheader').count()) === 0) continue;
    rows[await row.getByRole('rowheader').innerText()] = await row.getByRole('cell').allInnerTexts();
  }
  return rows;
}

/** A two-column table of the cash-up (sales, returns) as name → figure. */
async function figures(page, caption) {
  const rows = page.getByRole('table', { name: caption }).getByRole('row');
  const read = {};
  for (const row of await rows.all()) {
    read[await row.getByRole('rowheader').innerText()] = await row.getByRole('cell').innerText();
  }
  return read;
}

test('a return of one line of three goes back on the shelf and shows on the day\'s cash-up', async () => {
  await withDesk(new Date('2026-11-30T15:00:00Z'), async (page) => {
    await stockUp(page, [['TEA-1', 'Tea', '4.50', '10'], ['CUP-1', 'Cup', '12.00', '5'], ['POT-1', 'Pot', '30.00', '2']]);
    await sale(page, '#1001', 'Ada Lovelace', [['TEA-1', 'Tea', '2', '4.50'], ['CUP-1', 'Cup', '1', '12.00'], ['POT-1', 'Pot', '1', '30.00']]);
    await pay(page, '51.00', 'Cash');
    await history(page, 'Payment of 51.00 USD received in cash');
    await page.getByRole('button', { name: 'Fulfil all remaining' }).click();
    await history(page, 'Fulfilled 2 of line 1, 1 of line 2, 1 of line 3');

    // The cup comes back: one tap on its +, and the refund proposed is what it cost.
    const form = page.getByRole('region', { name: 'Return' });
    await form.getByRole('button', { name: 'One more Cup' }).click();
    assert.equal(await form.getByRole('textbox', { name: 'Refund for the return' }).inputValue(), '12.00');
    assert.equal(await form.getByRole('checkbox', { name: 'Back to stock: Cup' }).isChecked(), true);
    assert.equal(await form.getByRole('combobox', { name: 'Refund method' }).inputValue(), 'Cash', 'back the way it was paid');

    // More than is refundable is refused in the domain's words, and nothing is written.
    await form.getByRole('textbox', { name: 'Refund for the return' }).fill('60');
    const written = await storedEventCount(page);
    await form.getByRole('button', { name: 'Record return' }).click();
    await form.getByRole('alert').filter({ hasText: 'refund exceeds the 51.00 paid and not yet refunded' }).waitFor();
    assert.equal(await storedEventCount(page), written);

    await form.getByRole('textbox', { name: 'Refund for the return' }).fill('12.00');
    await form.getByRole('button', { name: 'Record return' }).click();
    await history(page, 'Returned 1 of line 2, restocked');
    await history(page, 'Refund of 12.00 USD given in cash');
    assert.equal(await page.locator('td[data-label="Fulfilled"]').nth(1).innerText(), '1 (1 returned)');
    assert.equal(await form.getByRole('button', { name: 'One more Cup' }).count(), 0, 'the cup cannot come back twice');

    // The pot is exchanged: back to stock with no money back, and a new order opened for
    // Ada, linked both ways.
    await form.getByRole('button', { name: 'One more Pot' }).click();
    await form.getByRole('textbox', { name: 'Refund for the return' }).fill('');
    await form.getByRole('checkbox', { name: 'Exchange: then start a new order for the same customer' }).check();
    await form.getByRole('button', { name: 'Record return' }).click();
    await page.getByRole('heading', { name: 'Order #1002' }).waitFor();
    assert.match(await page.locator('dl.facts').innerText(), /Ada Lovelace/);
    await page.getByRole('link', { name: 'Exchange for #1001' }).click();
    await page.getByRole('heading', { name: 'Order #1001' }).waitFor();
    await page.getByRole('link', { name: 'Exchanged in #1002' }).waitFor();
    await history(page, 'Returned 1 of line 3, restocked');

    await openView(page, 'Products');
    await onHand(page, 'CUP-1', '5');
    await onHand(page, 'TEA-1', '8');
    await onHand(page, 'POT-1', '2');

    await openView(page, 'Cash-up');
    await page.getByRole('heading', { name: 'Cash-up for Nov 30, 2026' }).waitFor();
    const money = await moneyByMethod(page);
    assert.deepEqual(money['Cash'], ['51.00', '0.00', '12.00', '39.00']);
    assert.deepEqual(money['Net taken'], ['51.00', '0.00', '12.00', '39.00']);
    assert.deepEqual(await figures(page, 'Returns'), { 'Units returned': '2', 'Units back in stock': '2' });
    assert.equal((await figures(page, 'Sales'))['Orders placed (1)'], '51.00');
  });
});

test('a day\'s cash-up with cash, card and transfer adds up, prints on one page, and its CSV reads back', async () => {
  // 23:30 in New York on 30 November: already 1 December in UTC.
  await withDesk(new Date('2026-12-01T04:30:00Z'), async (page) => {
    await setUpShop(page, { currency: 'USD', zone: 'America/New_York', pricesIncludeTax: false, rates: [['Sales tax', '10']], defaultRate: 'Sales tax' });
    // 2 × 4.50 + 10% tax = 9.90, in cash.
    await sale(page, '#1001', 'Ada Lovelace', [['TEA-1', 'Tea', '2', '4.50']]);
    await pay(page, '9.90', 'Cash');
    await history(page, 'Payment of 9.90 USD received in cash');
    // 12.00 + 1.20 = 13.20 by card, of which 2.00 given back to the card.
    await sale(page, '#1002', 'Grace Hopper', [['CUP-1', 'Cup', '1', '12.00']]);
    await pay(page, '13.20', 'Card');
    await history(page, 'Payment of 13.20 USD received by card');
    await control(page, 'Refund', { 'Refund amount': '2' });
    await page.getByRole('group', { name: 'Refund', exact: true }).getByRole('combobox', { name: 'Refund method' }).selectOption('Card');
    await page.getByRole('button', { name: 'Record refund' }).click();
    await history(page, 'Refund of 2.00 USD given by card');
    // 30.00 + 3.00 = 33.00: 20.00 by transfer and 13.00 in cash; a 5.00 card payment voided.
    await sale(page, '#1003', 'Linus Torvalds', [['POT-1', 'Pot', '1', '30.00']]);
    await pay(page, '5', 'Card');
    await history(page, 'Payment of 5.00 USD received by card');
    await control(page, 'Void payment 1 (5.00 card)', { 'Reason for voiding payment 1': 'wrong card' }, 'Void payment 1');
    await history(page, 'Payment 1 of 5.00 voided: wrong card');
    await pay(page, '20', 'Bank transfer');
    await history(page, 'Payment of 20.00 USD received by bank transfer');
    await pay(page, '13', 'Cash');
    await history(page, 'Payment of 13.00 USD received in cash');

    await openView(page, 'Cash-up');
    await page.getByRole('heading', { name: 'Cash-up for Nov 30, 2026' }).waitFor();
    // Payments, voids, refunds, net; worked by hand above.
    assert.deepEqual(await moneyByMethod(page), {
      Cash: ['22.90', '0.00', '0.00', '22.90'],
      Card: ['18.20', '5.00', '2.00', '11.20'],
      'Bank transfer': ['20.00', '0.00', '0.00', '20.00'],
      Other: ['0.00', '0.00', '0.00', '0.00'],
      'Net taken': ['61.10', '5.00', '2.00', '54.10'],
    });
    assert.deepEqual(await figures(page, 'Sales'), {
      'Orders placed (3)': '56.10',
      Discounts: '0.00',
      'Sales tax 10%, on 51.00': '5.10',
      'Orders cancelled (0)': '0.00',
    });
    // The next day, in New York, has nothing yet.
    await page.getByLabel('From').fill('2026-12-01');
    await page.getByRole('heading', { name: 'Cash-up for Dec 1, 2026' }).waitFor();
    assert.deepEqual((await moneyByMethod(page))['Net taken'], ['0.00', '0.00', '0.00', '0.00']);
    assert.match(page.url(), /\/cash-up\?from=2026-12-01&to=2026-12-01$/, 'the period is in the address');
    await page.goto(`${site.url}cash-up?from=2026-11-30&to=2026-11-30`);
    await page.getByRole('heading', { name: 'Cash-up for Nov 30, 2026' }).waitFor();

    const dir = await mkdtemp(join(tmpdir(), 'orderlog-cash-up-'));
    try {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      assert.equal(download.suggestedFilename(), 'cash-up-2026-11-30.csv');
      const csv = join(dir, 'cash-up.csv');
      await download.saveAs(csv);
      const [header, ...rows] = (await readFile(csv, 'utf8')).trim().split('\n').map((line) => line.split(','));
      assert.deepEqual(header, ['section', 'item', 'count', 'base', 'amount']);
      const row = (section, item) => rows.find((r) => r[0] === section && r[1] === item)?.slice(2);
      assert.deepEqual(row('period', 'from'), ['', '', '2026-11-30']);
      assert.deepEqual(row('payments', 'Cash'), ['2', '', '22.90']);
      assert.deepEqual(row('voids', 'Card'), ['', '', '5.00']);
      assert.deepEqual(row('refunds', 'Card'), ['1', '', '2.00']);
      assert.deepEqual(row('net', 'Bank transfer'), ['', '', '20.00']);
      assert.deepEqual(row('net', 'Total'), ['', '', '54.10']);
      assert.deepEqual(row('tax', 'Sales tax 10%'), ['', '51.00', '5.10']);
      assert.deepEqual(row('sales', 'Orders placed'), ['3', '', '56.10']);

      const pdf = join(dir, 'cash-up.pdf');
      await writeFile(pdf, await page.pdf({ format: 'A4' }));
      const { stdout } = await promisify(execFile)('pdftotext', ['-layout', pdf, '-']);
      const text = stdout.replace(/[ \t]+/g, ' ');
      for (const expected of ['Cash-up for Nov 30, 2026', 'Money by method', 'Net taken 61.10 5.00 2.00 54.10', 'Sales tax 10%, on 51.00 5.10']) {
        assert.ok(text.includes(expected), `"${expected}" in\n${text}`);
      }
      for (const absent of ['Download CSV', 'Print', 'Dashboard']) {
        assert.ok(!text.includes(absent), `no "${absent}" on paper`);
      }
      const { stdout: info } = await promisify(execFile)('pdfinfo', [pdf]);
      assert.match(info, /Pages:\s+1\n/, 'one page');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

test('the orders list is cut by the days created and by tag, and the filter lives in the address', async () => {
  await withDesk(new Date('2026-11-30T15:00:00Z'), async (page) => {
    await sell(page, { customer: 'Ada Lovelace', sku: 'TEA-1', quantity: '1', unitPrice: '4.50' });
    await sell(page, { customer: 'Grace Hopper', sku: 'TEA-1', quantity: '1', unitPrice: '4.50' });
    await page.clock.setFixedTime(new Date('2026-12-02T10:00:00Z'));
    await sell(page, { customer: 'Alan Turing', sku: 'TEA-1', quantity: '1', unitPrice: '4.50' });

    await openOrder(page, '#1001');
    await control(page, 'Tags', { Tag: 'gift' }, 'Add tag');
    await history(page, 'Tagged gift');
    /** The orders listed, once the list's summary says how many. */
    const listed = async (count) => {
      const summary = { 0: 'No orders match.', 1: '1 order' }[count] ?? `${count} orders`;
      await page.getByRole('status').filter({ hasText: new RegExp(`^${summary}$`) }).waitFor();
      return page.getByRole('table', { name: 'Orders' }).getByRole('rowheader').allInnerTexts();
    };
    await openView(page, 'Orders');
    await page.getByRole('combobox', { name: 'Tag' }).selectOption('gift');
    await page.waitForURL(/\?tag=gift$/);
    assert.deepEqual(await listed(1), ['#1001']);
    await page.getByLabel('Created from').fill('2026-12-01');
    await page.waitForURL(/\?from=2026-12-01&tag=gift$/);
    assert.deepEqual(await listed(0), []);
    await page.getByRole('combobox', { name: 'Tag' }).selectOption('');
    await page.waitForURL(/\?from=2026-12-01$/);
    assert.deepEqual(await listed(1), ['#1003']);
    await page.getByLabel('Created to').fill('2026-12-01');
    await page.waitForURL(/\?from=2026-12-01&to=2026-12-01$/);
    assert.deepEqual(await listed(0), []);

    // A bookmarked list opens filtered.
    await page.goto(`${site.url}?tag=gift&to=2026-11-30`);
    assert.deepEqual(await listed(1), ['#1001']);
    assert.equal(await page.getByRole('combobox', { name: 'Tag' }).inputValue(), 'gift');
    assert.equal(await page.getByLabel('Created to').inputValue(), '2026-11-30');

    await openOrder(page, '#1001');
    await page.getByRole('button', { name: 'Remove tag gift' }).click();
    await history(page, 'Tag gift removed');
    await page.goto(`${site.url}?tag=gift`);
    assert.deepEqual(await listed(0), []);
  });
});
