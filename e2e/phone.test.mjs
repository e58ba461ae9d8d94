// Issue 18's user flows: the desk on a 360 px phone, by keyboard alone, following the
// system's theme and motion settings, and painting a frame before its code arrives.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrder, launchBrowser, loadDemo as loadDemoOrders, openView as openViewOf, withApp } from './support.mjs';

const app = withApp();
let site;
let page;
beforeEach(() => {
  ({ site, page } = app);
});

const PHONE = { width: 360, height: 740 };
const VIEWS = ['Orders', 'Dashboard', 'Cash-up', 'Customers', 'Products', 'Event log', 'Import', 'Sync', 'Settings'];
const loadDemo = (orders) => loadDemoOrders(page, site, orders);
const openView = (name) => openViewOf(page, name);

/**
 * What on the page breaks the phone layout: the page scrolling sideways, and each visible
 * control (link, button, field, disclosure) that sits outside the screen or is smaller than
 * 44 px either way. A checkbox counts by its label.
 */
function phoneLayoutProblems() {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page is ${document.documentElement.scrollWidth} px wide on a ${width} px screen`);
  }
  for (const control of document.querySelectorAll('a[href], button, input, select, summary, textarea')) {
    if (!control.checkVisibility() || control.closest('.visually-hidden, dialog:not([open])')) continue;
    const target = control.type === 'checkbox' ? control.closest('label') ?? control : control;
    const box = target.getBoundingClientRect();
    if (box.width <= 1 && box.height <= 1) continue;
    const name = `${control.tagName.toLowerCase()} "${(control.textContent || control.getAttribute('aria-label') || control.id).trim().slice(0, 40)}"`;
    if (box.left < 0 || box.right > width + 0.5) problems.push(`${name} is outside the screen (${Math.round(box.left)}–${Math.round(box.right)} px)`);
    if (box.height < 44 || box.width < 44) problems.push(`${name} is ${Math.round(box.width)}×${Math.round(box.height)} px`);
  }
  return problems;
}

test('on a 360 px phone every view fits the screen in both themes, its controls on it and at least 44 px', async () => {
  await page.setViewportSize(PHONE);
  await loadDemo(30);
  for (const theme of ['light', 'dark']) {
    const themeSwitch = page.getByRole('button', { name: 'Dark theme' });
    if ((await themeSwitch.getAttribute('aria-pressed')) !== String(theme === 'dark')) await themeSwitch.click();
    for (const view of VIEWS) {
      await openView(view);
      await page.locator('main h2').first().waitFor();
      assert.deepEqual(await page.evaluate(phoneLayoutProblems), [], `${view}, ${theme} theme`);
    }
    await openView('Orders');
    await page.getByRole('table', { name: 'Orders' }).getByRole('link').first().click();
    await page.getByRole('heading', { name: /^Order #\d+$/ }).waitFor();
    assert.deepEqual(await page.evaluate(phoneLayoutProblems), [], `an order, ${theme} theme`);
    await openView('Orders');
    await page.getByRole('combobox', { name: 'Status' }).selectOption('Fulfilled');
    await page.getByRole('table', { name: 'Orders' }).getByRole('link').first().click();
    await page.getByRole('region', { name: 'Return' }).getByRole('button', { name: /^One more / }).first().click();
    assert.deepEqual(await page.evaluate(phoneLayoutProblems), [], `an order's return form, ${theme} theme`);
    await openView('Orders');
    await page.getByRole('combobox', { name: 'Status' }).selectOption('All orders');
  }
});

test('on a phone the orders list keeps each order\'s number, customer, status and total in view; at a desk it is a table', async () => {
  await page.setViewportSize(PHONE);
  await createOrder(page, { customer: 'Ada Lovelace', quantity: '3', unitPrice: '4.50' });
  const row = page.getByRole('table', { name: 'Orders' }).getByRole('row').filter({ hasText: 'Ada Lovelace' });
  for (const text of ['#1001', 'Ada Lovelace', 'draft', '13.50']) {
    const cell = row.getByText(text, { exact: true }).first();
    assert.ok(await cell.isVisible(), `${text} is shown`);
    const box = await cell.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `${text} is on the screen`);
  }

  await page.setViewportSize({ width: 1280, height: 800 });
  const table = page.getByRole('table', { name: 'Orders' });
  const tops = await table.getByRole('columnheader').evaluateAll((headers) => headers.map((h) => h.getBoundingClientRect().top));
  assert.equal(tops.length, 8);
  assert.equal(new Set(tops).size, 1, 'the column headers are one row');
  const cells = await row.locator('th, td').evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect().top));
  assert.equal(new Set(cells).size, 1, 'an order is one row');
});

test('a seller creates, pays and fulfils an order with the keyboard alone', async () => {
  const focused = () => page.evaluate(() => {
    const element = document.activeElement;
    return `${element.tagName.toLowerCase()} ${(element.labels?.[0]?.textContent ?? element.textContent).trim()}`;
  });
  /** Presses Tab until the control named `name` has the focus (at most 40 times). */
  async function tabTo(name) {
    for (let presses = 0; presses < 40; presses++) {
      if ((await focused()) === name) return;
      await page.keyboard.press('Tab');
    }
    assert.fail(`Tab never reached ${name}; the focus is on ${await focused()}`);
  }
  await createOrder(page, { customer: 'Grace Hopper' });

  await page.keyboard.press('n');
  assert.equal(await focused(), 'input Customer');
  await page.keyboard.type('Ada Lovelace');
  await tabTo('input SKU');
  await page.keyboard.type('TEA-1');
  await tabTo('input Unit price');
  await page.keyboard.type('4.50');
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Order for Ada Lovelace saved.' }).waitFor();

  await page.keyboard.press('Escape');
  await page.keyboard.press('/');
  assert.equal(await focused(), 'input Search orders');
  await page.keyboard.type('Ada');
  await tabTo('a #1002');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Order #1002' }).waitFor();
  assert.equal(await focused(), 'h2 Order #1002', 'the order\'s heading has the focus');
  await tabTo('button Place order');
  await page.keyboard.press('Enter');
  await page.getByRole('region', { name: 'History' }).getByText('Order placed').waitFor();

  await page.keyboard.press('p');
  assert.equal(await focused(), 'input Payment amount');
  assert.equal(await page.evaluate(() => document.getSelection().toString() || document.activeElement.value.slice(document.activeElement.selectionStart, document.activeElement.selectionEnd)), '4.50', 'the balance is selected');
  await page.keyboard.press('Enter');
  await page.getByRole('region', { name: 'History' }).getByText(/Payment of 4.50 USD received/).waitFor();

  await tabTo('button Fulfil all remaining');
  await page.keyboard.press('Enter');
  await page.getByRole('region', { name: 'History' }).getByText('Fulfilled 1 of line 1').waitFor();
  const facts = await page.locator('dl.facts').innerText();
  assert.match(facts, /Financial status\s+paid/);
  assert.match(facts, /Fulfilment status\s+fulfilled/);
});

test('? lists the shortcuts in a dialog that Escape closes; next and previous page go through the list', async () => {
  await loadDemo(60);
  await page.goto(site.url);
  await page.getByText('60 orders', { exact: true }).waitFor();
  const pageNumber = page.getByText(/^Page \d+ of \d+$/);
  assert.equal(await pageNumber.innerText(), 'Page 1 of 2');

  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await dialog.waitFor();
  for (const key of ['n', '/', ']', '[', 'p', '?']) {
    assert.equal(await dialog.locator('kbd').getByText(key, { exact: true }).count(), 1, `${key} is listed`);
  }
  await page.keyboard.press(']');
  assert.ok(await dialog.isVisible(), 'keys go to the open list');
  assert.equal(await pageNumber.innerText(), 'Page 1 of 2', 'nothing behind the list took the key');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });

  await page.keyboard.press(']');
  await page.getByText('Page 2 of 2').waitFor();
  await page.keyboard.press('[');
  await page.getByText('Page 1 of 2').waitFor();
});

test('a new view takes the focus to its heading and names the page', async () => {
  await openView('Dashboard');
  await page.waitForFunction(() => document.activeElement?.textContent === 'Dashboard');
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H2');
  assert.equal(await page.title(), 'Dashboard · orderlog');
  await openView('Products');
  await page.waitForFunction(() => document.activeElement?.textContent === 'Products');
  assert.equal(await page.title(), 'Products · orderlog');
  await openView('Orders');
  await page.waitForFunction(() => document.activeElement?.textContent === 'New order');
  assert.equal(await page.title(), 'Orders · orderlog', 'the list names the view, not its first form');
});

test('the end of a long load is said in the live region, whichever view is open', async () => {
  await page.goto(`${site.url}dashboard`);
  await page.getByRole('textbox', { name: 'Demo orders' }).fill('5');
  await page.getByRole('button', { name: 'Load demo data' }).click();
  await openView('Orders');
  const said = page.locator('#announcements');
  assert.equal(await said.getAttribute('aria-live'), 'polite');
  await page.waitForFunction(() => /^Done: the demo shop wrote \d+ events\.$/.test(document.getElementById('announcements').textContent), null, { timeout: 60_000 });
});

test('the theme follows the system until the seller picks one', async () => {
  const theme = () => page.locator('.app').getAttribute('data-theme');
  const themeSwitch = page.getByRole('button', { name: 'Dark theme' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.querySelector('.app').dataset.theme === 'dark');
  assert.equal(await themeSwitch.getAttribute('aria-pressed'), 'true');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => document.querySelector('.app').dataset.theme === 'light');

  await themeSwitch.click();
  assert.equal(await theme(), 'dark');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.reload();
  await page.getByRole('button', { name: 'Create order' }).waitFor();
  assert.equal(await theme(), 'dark', 'the pick outlasts the system and a reload');
});

test('motion stops when the system asks for less', async () => {
  const transition = () => page.locator('.panel').first().evaluate((panel) => getComputedStyle(panel).transitionDuration);
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  assert.notEqual(await transition(), '0s');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  assert.equal(await transition(), '0s');
});

test('the loading frame is painted before the app\'s code arrives, then gives way to the app', async () => {
  const browser = await launchBrowser();
  try {
    const fresh = await browser.context.newPage();
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await fresh.route('**/*_bg.wasm', async (route) => {
      await held;
      await route.continue();
    });
    await fresh.goto(site.url, { waitUntil: 'domcontentloaded' });
    await fresh.getByRole('status').filter({ hasText: 'Loading your orders…' }).waitFor();
    assert.ok(await fresh.getByRole('heading', { name: 'orderlog', level: 1 }).isVisible());
    release();
    await fresh.getByRole('button', { name: 'Create order' }).waitFor();
    assert.equal(await fresh.locator('#boot').count(), 0, 'the frame is gone');
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
