// Taxes, discounts, the shop's currency, locale and time zone, receipts and invoices, as a
// seller uses them: three shops in three locales, a receipt printed to PDF and read back,
// gap-free invoice numbers, and bad settings refused beside their fields with nothing written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { descriptionOf, openView, orderRows, serveStatic, storedEventCount, withBrowser } from './support.mjs';
import { openOrder, sell, sellTwoRates, setUpShop } from './shop.mjs';

let site;
before(async () => {
  site = await serveStatic(process.env.ORDERLOG_DIST ?? 'dist');
});
after(async () => {
  await site.close();
});

/** A browser in `locale`, its clock stopped at `now`, with the app open (`withBrowser`). */
const withShop = (options, run) => withBrowser(site, options, run);

const textbox = (page, name) => page.getByRole('textbox', { name, exact: true });

async function totals(page) {
  const rows = page.getByRole('table', { name: 'Totals' }).getByRole('row');
  const figures = {};
  for (const row of await rows.all()) {
    figures[await row.getByRole('rowheader').innerText()] = await row.getByRole('cell').innerText();
  }
  return figures;
}

async function control(page, title, fields, button) {
  const group = page.getByRole('group', { name: title });
  for (const [name, value] of Object.entries(fields)) {
    await group.getByRole('textbox', { name, exact: true }).fill(value);
  }
  await group.getByRole('button', { name: button }).click();
}

// Tokyo's and Berlin's 23:30 on 30 November 2026 fall on that day in UTC too; New York's is
// 04:30 UTC on 1 December, so a shop cutting days at UTC's midnight would count it a day late.
const SHOPS = [
  {
    locale: 'en-US',
    now: new Date('2026-12-01T04:30:00Z'),
    settings: { currency: 'USD', zone: 'America/New_York', pricesIncludeTax: false, rates: [['Sales tax', '8.875']], defaultRate: 'Sales tax' },
    sale: { unitPrice: '4.50' },
    // 3 × 4.50 = 13.50, and 8.875% of it is 1.198…: 1.20 of tax, added.
    listTotal: '14.70',
    tax: ['Sales tax 8.875%', '1.20'],
    // The history's words are the domain's: the currency's minor units, a point for decimals.
    history: 'Line 1 added: 3 × TEA-1 (TEA-1) at 4.50, taxed at Sales tax 8.875%',
    day: 'Nov 30, 2026',
    receiptTotal: '$14.70',
  },
  {
    locale: 'de-DE',
    now: new Date('2026-11-30T22:30:00Z'),
    settings: { currency: 'EUR', zone: 'Europe/Berlin', pricesIncludeTax: true, rates: [['MwSt', '19'], ['Ermäßigt', '7']], defaultRate: 'MwSt' },
    // Typed as a German seller types it.
    sale: { unitPrice: '4,50' },
    // 13,50 including 19% holds 2,155…: 2,16 of tax, included.
    listTotal: '13,50',
    tax: ['MwSt 19% (included)', '2,16'],
    history: 'Line 1 added: 3 × TEA-1 (TEA-1) at 4.50, taxed at MwSt 19%',
    day: '30.11.2026',
    // A no-break space before the euro sign, as de-DE writes it.
    receiptTotal: '13,50\u00a0€',
  },
  {
    locale: 'ja-JP',
    now: new Date('2026-11-30T14:30:00Z'),
    settings: { currency: 'JPY', zone: 'Asia/Tokyo', pricesIncludeTax: true, rates: [['消費税', '10']], defaultRate: '消費税' },
    sale: { unitPrice: '450' },
    // ¥1,350 including 10% holds 122.7…: ¥123 of tax; yen have no minor units.
    listTotal: '1,350',
    tax: ['消費税 10% (included)', '123'],
    history: 'Line 1 added: 3 × TEA-1 (TEA-1) at 450, taxed at 消費税 10%',
    day: '2026/11/30',
    receiptTotal: '￥1,350',
  },
];

for (const shop of SHOPS) {
  test(`a ${shop.settings.currency} shop in ${shop.locale} shows its own formats and counts a sale at 23:30 on that day`, async () => {
    await withShop(shop, async (page) => {
      await setUpShop(page, shop.settings);
      await sell(page, { customer: 'Ada Lovelace', sku: 'TEA-1', quantity: '3', ...shop.sale });
      assert.deepEqual(await orderRows(page, ['Customer', 'Total']), [['Ada Lovelace', shop.listTotal]]);

      await openOrder(page, '#1001');
      const figures = await totals(page);
      assert.equal(figures[shop.tax[0]], shop.tax[1], `tax by rate in ${JSON.stringify(figures)}`);
      assert.equal(figures['Total'], shop.listTotal);
      await page.getByRole('region', { name: 'History' }).getByText(shop.history).waitFor();
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.getByRole('button', { name: 'Record payment' }).waitFor();

      await openView(page, 'Dashboard');
      assert.equal(await page.getByRole('group', { name: 'Sales', exact: true }).locator('.value').innerText(), shop.listTotal);
      const days = page.getByRole('table', { name: 'Sales by day' }).getByRole('row');
      assert.deepEqual(
        (await days.allInnerTexts()).slice(1).map((row) => row.split('\t').map((cell) => cell.trim())),
        [[shop.day, '1', shop.listTotal]],
        'one day, the shop\'s',
      );

      await openOrder(page, '#1001');
      await page.getByRole('link', { name: 'Receipt' }).click();
      const totalsTable = page.getByRole('table', { name: 'Totals' });
      await totalsTable.waitFor();
      assert.equal(await totalsTable.getByRole('row', { name: /^Total/ }).getByRole('cell').innerText(), shop.receiptTotal);
    });
  });
}

test('a receipt prints to a PDF with the shop, the lines, discounts, tax by rate, payments and the balance due', async () => {
  await withShop({ locale: 'en-GB', now: new Date('2026-11-30T12:00:00Z') }, async (page) => {
    // 2 × 6.00 less 10% (VAT 20%), a zero-rated 1.20 book, and 1.00 off the order: 0.90 and
    // 0.10 of it, by the lines' amounts.
    await sellTwoRates(page);
    const figures = await totals(page);
    // Lines 10.80 + 1.20 = 12.00, less 1.00: 11.00. VAT on 10.80 − 0.90 = 9.90 incl.: 1.65.
    assert.equal(figures['Discounts'], '2.20');
    assert.equal(figures['VAT 20% (included)'], '1.65');
    assert.equal(figures['Total'], '11.00');
    await page.getByRole('button', { name: 'Place order' }).click();
    await control(page, 'Payment', { 'Payment amount': '5' }, 'Record payment');
    await page.getByRole('table', { name: 'Totals' }).getByRole('row', { name: /Balance due/ }).filter({ hasText: '6.00' }).waitFor();

    await page.getByRole('link', { name: 'Receipt' }).click();
    await page.getByRole('heading', { name: 'Receipt for order #1001' }).waitFor();
    const dir = await mkdtemp(join(tmpdir(), 'orderlog-receipt-'));
    try {
      const pdf = join(dir, 'receipt.pdf');
      for (const format of ['A4', 'Letter']) {
        await writeFile(pdf, await page.pdf({ format }));
        const { stdout } = await promisify(execFile)('pdftotext', ['-layout', pdf, '-']);
        const text = stdout.replace(/[ \t]+/g, ' ');
        for (const expected of [
          'Corner Tea Stall', '1 Market Square', 'York YO1 7HH', 'Tax or VAT number: GB123456789',
          'Receipt for order #1001', 'Grace Hopper', 'Tea book', 'TEA-1',
          'Order discount −£1.00', 'VAT 20% included, on £8.25 £1.65', 'Zero 0% included, on £1.10 £0.00',
          'Total £11.00', 'You saved £2.20', 'Cash', '£5.00', 'Balance due £6.00',
        ]) {
          assert.ok(text.includes(expected), `${format}: "${expected}" in\n${text}`);
        }
        for (const absent of ['Print', 'Back to the order', 'Dashboard', 'Keyboard shortcuts']) {
          assert.ok(!text.includes(absent), `${format}: no "${absent}" on paper`);
        }
        const { stdout: info } = await promisify(execFile)('pdfinfo', [pdf]);
        assert.match(info, /Pages:\s+1\n/, `${format}: one page`);
      }
      // An 80 mm roll: the same text, narrow.
      await writeFile(pdf, await page.pdf({ width: '80mm', height: '300mm' }));
      const { stdout } = await promisify(execFile)('pdftotext', [pdf, '-']);
      assert.ok(stdout.includes('Balance due'), stdout);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

test("a product's own rate is a new line's rate, unless the seller picks another", async () => {
  await withShop({ locale: 'en-GB' }, async (page) => {
    await setUpShop(page, { currency: 'GBP', zone: 'Europe/London', pricesIncludeTax: true, rates: [['VAT', '20'], ['Zero', '0']], defaultRate: 'VAT' });
    await openView(page, 'Products');
    await control(page, 'Register a product', { 'Product SKU': 'BOOK-1', Name: 'Tea book', Price: '12.00' }, 'Register product');
    await page.getByText('Manage BOOK-1').click();
    await page.getByRole('combobox', { name: 'Tax rate of BOOK-1' }).selectOption('Zero 0%');
    await page.getByRole('button', { name: 'Set tax rate of BOOK-1' }).click();
    await page.getByRole('cell', { name: 'Zero', exact: true }).waitFor();

    await sell(page, { customer: 'Ada Lovelace', sku: 'BOOK-1', quantity: '1', unitPrice: '12.00' });
    await sell(page, { customer: 'Grace Hopper', sku: 'TEA-1', quantity: '1', unitPrice: '12.00' });
    await openOrder(page, '#1001');
    assert.deepEqual(await totals(page).then((f) => [f['Zero 0% (included)'], f['Total']]), ['0.00', '12.00'], 'the book is zero-rated');
    await openOrder(page, '#1002');
    assert.equal((await totals(page))['VAT 20% (included)'], '2.00', 'an unknown SKU takes the default');
    // Picked by hand, the rate wins over the product's.
    const add = page.getByRole('group', { name: 'Add a line' });
    await add.getByRole('textbox', { name: 'SKU', exact: true }).fill('BOOK-1');
    await add.getByRole('textbox', { name: 'Unit price', exact: true }).fill('6');
    await add.getByRole('combobox', { name: 'Tax rate' }).selectOption('VAT 20%');
    await add.getByRole('button', { name: 'Add line' }).click();
    await page.getByRole('table', { name: 'Totals' }).getByRole('row', { name: /^VAT 20% \(included\)/ }).filter({ hasText: '3.00' }).waitFor();
  });
});

test('invoices take gap-free numbers that a cancellation never frees', async () => {
  await withShop({ locale: 'en-US' }, async (page) => {
    for (const customer of ['Ada Lovelace', 'Grace Hopper', 'Edsger Dijkstra']) {
      await sell(page, { customer, sku: 'TEA-1', quantity: '1', unitPrice: '3' });
    }
    for (const number of ['#1001', '#1002']) {
      await openOrder(page, number);
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.getByRole('button', { name: 'Invoice' }).click();
    }
    await page.getByRole('heading', { name: 'Invoice 2' }).waitFor();
    // The first order is cancelled: its invoice stays number 1, marked cancelled.
    await openOrder(page, '#1001');
    await control(page, 'Cancellation', { 'Cancellation reason': 'returned unopened' }, 'Cancel order');
    await page.getByText('Cancelled ').first().waitFor();
    await page.getByRole('link', { name: 'Invoice 1' }).click();
    await page.getByRole('heading', { name: 'Invoice 1' }).waitFor();
    await page.getByRole('note').filter({ hasText: 'this invoice\'s order was cancelled' }).waitFor();
    // The next invoice is 3, and asking again for an invoiced order gives its number again.
    await openOrder(page, '#1003');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('button', { name: 'Invoice' }).click();
    await page.getByRole('heading', { name: 'Invoice 3' }).waitFor();
    await openOrder(page, '#1002');
    assert.equal(await page.getByRole('link', { name: /^Invoice \d+$/ }).innerText(), 'Invoice 2');
    // A draft has no invoice to issue.
    await sell(page, { customer: 'Barbara Liskov', sku: 'TEA-1', quantity: '1', unitPrice: '3' });
    await openOrder(page, '#1004');
    assert.equal(await page.getByRole('button', { name: 'Invoice' }).count(), 0);
  });
});

test('bad settings and discounts are refused beside their fields and nothing is written', async () => {
  await withShop({ locale: 'en-US' }, async (page) => {
    await sell(page, { customer: 'Ada Lovelace', sku: 'TEA-1', quantity: '1', unitPrice: '3' });
    const written = await storedEventCount(page);

    await openView(page, 'Settings');
    await textbox(page, 'Currency').fill('XYZ');
    await page.getByRole('combobox', { name: 'Time zone' }).fill('Mars/Olympus_Mons');
    await textbox(page, 'Rate 1 name').fill('Silly');
    await textbox(page, 'Rate 1 percentage').fill('150');
    await textbox(page, 'Rate 2 name').fill('Negative');
    await textbox(page, 'Rate 2 percentage').fill('-1');
    await page.getByRole('button', { name: 'Save settings' }).click();
    for (const [field, reason] of [
      [textbox(page, 'Currency'), 'is not an ISO 4217 currency, like USD, EUR or JPY'],
      [page.getByRole('combobox', { name: 'Time zone' }), 'must be a time zone name, like Europe/Paris or America/New_York'],
      [textbox(page, 'Rate 1 percentage'), 'must be from 0% to 100%'],
      [textbox(page, 'Rate 2 percentage'), 'must be from 0% to 100%'],
    ]) {
      await assert.doesNotReject(async () => {
        assert.equal(await field.getAttribute('aria-invalid'), 'true');
        assert.match(await descriptionOf(field), new RegExp(`^${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      });
    }
    assert.equal(await storedEventCount(page), written, 'nothing written');

    // A shop with orders keeps its currency: refused in the domain's words.
    await textbox(page, 'Currency').fill('EUR');
    await page.getByRole('combobox', { name: 'Time zone' }).fill('UTC');
    await textbox(page, 'Rate 1 percentage').fill('20');
    await textbox(page, 'Rate 2 name').fill('');
    await textbox(page, 'Rate 2 percentage').fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('alert').filter({ hasText: 'the shop has orders in USD: its currency cannot change' }).waitFor();
    assert.equal(await storedEventCount(page), written, 'nothing written');

    // A discount larger than its line, or than the order.
    await openOrder(page, '#1001');
    const add = page.getByRole('group', { name: 'Add a line' });
    await add.getByRole('textbox', { name: 'SKU', exact: true }).fill('MUG-2');
    await add.getByRole('textbox', { name: 'Unit price', exact: true }).fill('5');
    await add.getByRole('textbox', { name: 'Discount', exact: true }).fill('6');
    await add.getByRole('button', { name: 'Add line' }).click();
    await add.getByRole('alert').filter({ hasText: 'the discount on line 2 exceeds its total of 5.00' }).waitFor();
    await control(page, 'Order discount', { 'Order discount': '3.01' }, 'Set discount');
    await page.getByRole('group', { name: 'Order discount' }).getByRole('alert').filter({ hasText: "the discount exceeds the order's subtotal of 3.00" }).waitFor();
    await control(page, 'Order discount', { 'Order discount': '101%' }, 'Set discount');
    await page.getByRole('group', { name: 'Order discount' }).getByRole('alert').filter({ hasText: 'must be from 0% to 100%' }).waitFor();
    assert.equal(await storedEventCount(page), written, 'nothing written');
  });
});

test('the settings page and a receipt fit a phone', async () => {
  await withShop({ locale: 'en-US', viewport: { width: 360, height: 740 } }, async (page) => {
    await sell(page, { customer: 'Ada Lovelace', sku: 'TEA-1', quantity: '1', unitPrice: '3' });
    for (const open of [
      () => openView(page, 'Settings'),
      async () => {
        await openOrder(page, '#1001');
        await page.getByRole('link', { name: 'Receipt' }).click();
        await page.getByRole('heading', { name: 'Receipt for order #1001' }).waitFor();
      },
    ]) {
      await open();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `no sideways scrolling: ${width} px`);
    }
  });
});
