// Pictures of a receipt and an invoice (issue 19): a shop with its details and two tax rates,
// an order with a line discount, an order discount and a part payment; each document on a
// phone (360 px) and a desk (1280 px), and printed on A4 (page.pdf, then pdftoppm):
//   node bench/documents.mjs [out dir, docs/screenshots unless given]
// From the release build (ORDERLOG_DIST, dist/ unless set). Asserts nothing: the user flows
// check the documents (e2e/money.test.mjs).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { launchBrowser, serveStatic } from '../e2e/support.mjs';
import { sellTwoRates } from '../e2e/shop.mjs';

const out = process.argv[2] ?? 'docs/screenshots';
await mkdir(out, { recursive: true });
const site = await serveStatic(process.env.ORDERLOG_DIST ?? 'dist');
const browser = await launchBrowser({ locale: 'en-GB', timezoneId: 'Europe/London' });
const scratch = await mkdtemp(join(tmpdir(), 'orderlog-documents-'));
try {
  const page = await browser.context.newPage();
  await page.goto(site.url);
  await page.getByRole('button', { name: 'Create order' }).waitFor();
  await sellTwoRates(page);
  await page.getByRole('button', { name: 'Place order' }).click();
  const payment = page.getByRole('group', { name: 'Payment' });
  await payment.getByRole('textbox', { name: 'Payment amount' }).fill('5');
  await payment.getByRole('button', { name: 'Record payment' }).click();
  await page.getByRole('table', { name: 'Totals' }).getByRole('row', { name: /Balance due/ }).filter({ hasText: '6.00' }).waitFor();
  await page.getByRole('button', { name: 'Invoice' }).click();
  await page.getByRole('heading', { name: 'Invoice 1' }).waitFor();
  const invoice = page.url();
  const receipt = invoice.replace(/invoice$/, 'receipt');

  for (const [name, url, heading] of [['receipt', receipt, 'Receipt for order #1001'], ['invoice', invoice, 'Invoice 1']]) {
    await page.goto(url);
    await page.getByRole('heading', { name: heading }).waitFor();
    for (const [width, height] of [[360, 740], [1280, 800]]) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: `${out}/${width}-light-${name}.jpg`, type: 'jpeg', quality: 70, fullPage: true });
    }
    const pdf = join(scratch, `${name}.pdf`);
    await writeFile(pdf, await page.pdf({ format: 'A4' }));
    await promisify(execFile)('pdftoppm', ['-jpeg', '-r', '60', '-singlefile', pdf, `${out}/a4-${name}`]);
  }
} finally {
  await browser.close();
  await site.close();
  await rm(scratch, { recursive: true, force: true });
}
