// axe-core (every rule it runs by default: WCAG 2.x A and AA, contrast among them, and its
// best practices) on every view and state: empty, with an error shown, with orders, the menu
// and the shortcuts open; in both themes, at 360 px and 1280 px. Zero violations.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations, loadDemo, openView, withApp } from './support.mjs';

const VIEWS = ['Orders', 'Dashboard', 'Cash-up', 'Customers', 'Products', 'Event log', 'Import', 'Sync', 'Settings'];

const app = withApp();
let site;
let page;
beforeEach(() => {
  ({ site, page } = app);
});

/** Runs axe and collects what it finds under `state`'s name. */
async function check(found, state) {
  await page.locator('main h2').first().waitFor();
  for (const line of await axeViolations(page)) found.push(`${state}: ${line}`);
}

async function everyView(found, state) {
  for (const view of VIEWS) {
    await openView(page, view);
    await check(found, `${view}, ${state}`);
  }
}

for (const width of [360, 1280]) {
  for (const theme of ['light', 'dark']) {
    test(`no axe violations at ${width} px in the ${theme} theme: empty, with errors, with orders`, async () => {
      await page.setViewportSize({ width, height: 800 });
      if (theme === 'dark') await page.getByRole('button', { name: 'Dark theme' }).click();
      assert.equal(await page.locator('.app').getAttribute('data-theme'), theme);
      const found = [];

      await everyView(found, 'empty');
      await page.goto(`${site.url}orders/no-such-order`);
      await check(found, 'an order not found');

      await openView(page, 'Orders');
      await page.getByRole('button', { name: 'Create order' }).click();
      await page.getByText('this field is required').first().waitFor();
      await check(found, 'the new order refused');
      await openView(page, 'Dashboard');
      await page.getByRole('textbox', { name: 'Demo orders' }).fill('many');
      await page.getByRole('button', { name: 'Load demo data' }).click();
      await page.getByText('Give a number of orders from 1 to 100,000.').waitFor();
      await check(found, 'the demo loader refused');
      await openView(page, 'Import');
      await page.getByLabel('Shopify orders CSV').setInputFiles({ name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('just,some\nnotes,here\n') });
      await page.getByText(/This file cannot be imported/).waitFor();
      await check(found, 'a file refused');
      await openView(page, 'Sync');
      await page.getByRole('textbox', { name: 'Server address' }).fill('not a server');
      await page.getByRole('button', { name: 'Start syncing' }).click();
      await page.getByText(/Sync did not start/).waitFor();
      await check(found, 'sync refused');
      await openView(page, 'Settings');
      await page.getByRole('textbox', { name: 'Currency' }).fill('XYZ');
      await page.getByRole('textbox', { name: 'Rate 1 percentage' }).fill('150');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('must be from 0% to 100%').waitFor();
      await check(found, 'settings refused');
      await page.getByRole('textbox', { name: 'Currency' }).fill('USD');
      await page.getByRole('textbox', { name: 'Rate 1 name' }).fill('Sales tax');
      await page.getByRole('textbox', { name: 'Rate 1 percentage' }).fill('8.875');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved.').waitFor();

      await loadDemo(page, site, 20);
      await everyView(found, 'with orders');
      await openView(page, 'Orders');
      await page.getByRole('table', { name: 'Orders' }).getByRole('link').first().click();
      await page.getByRole('heading', { name: /^Order #\d+$/ }).waitFor();
      await check(found, 'an order');
      await page.getByRole('link', { name: 'Receipt' }).click();
      await page.getByRole('heading', { name: /^Receipt for order #\d+$/ }).waitFor();
      await check(found, 'a receipt');
      await page.getByRole('link', { name: 'Back to the order' }).click();
      await page.getByRole('heading', { name: /^Order #\d+$/ }).waitFor();
      await page.getByRole('textbox', { name: 'Note' }).fill('');
      await page.getByRole('button', { name: 'Add note' }).click();
      await page.locator('[aria-invalid="true"]').first().waitFor();
      await check(found, 'an order, a note refused');
      await openView(page, 'Orders');
      await page.getByRole('combobox', { name: 'Status' }).selectOption('Fulfilled');
      await page.getByRole('table', { name: 'Orders' }).getByRole('link').first().click();
      const returning = page.getByRole('region', { name: 'Return' });
      await returning.getByRole('button', { name: 'Record return' }).click();
      await returning.getByRole('alert').filter({ hasText: 'choose at least one unit to return' }).waitFor();
      await check(found, 'an order, a return refused');
      await page.keyboard.press('Escape');
      await page.keyboard.press('?');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      await check(found, 'the shortcuts open');
      await page.keyboard.press('Escape');
      const menu = page.getByRole('button', { name: 'Menu' });
      if (await menu.isVisible()) {
        await menu.click();
        await check(found, 'the menu open');
      }

      assert.deepEqual(found, []);
    });
  }
}
