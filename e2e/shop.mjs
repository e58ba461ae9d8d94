// A seller's steps the issue-19 flows and the documents' pictures share: setting up a shop
// and selling one line.
import { openView } from './support.mjs';

const textbox = (page, name) => page.getByRole('textbox', { name, exact: true });

/** Fills the settings page as a seller would and saves it. */
export async function setUpShop(page, { name, address, taxNumber, currency, zone, pricesIncludeTax, rates, defaultRate }) {
  await openView(page, 'Settings');
  if (name !== undefined) await textbox(page, 'Shop name').fill(name);
  if (address !== undefined) await textbox(page, 'Address').fill(address);
  if (taxNumber !== undefined) await textbox(page, 'Tax or VAT number').fill(taxNumber);
  await textbox(page, 'Currency').fill(currency);
  await page.getByRole('combobox', { name: 'Time zone' }).fill(zone);
  await page.getByRole('checkbox', { name: 'Prices include tax' }).setChecked(pricesIncludeTax);
  for (const [n, [rateName, percent]] of rates.entries()) {
    await textbox(page, `Rate ${n + 1} name`).fill(rateName);
    await textbox(page, `Rate ${n + 1} percentage`).fill(percent);
  }
  if (defaultRate) await page.getByRole('combobox', { name: 'Default rate' }).selectOption(defaultRate);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
}

/** Creates an order of one line on the orders page, as typed, and waits for its row. */
export async function sell(page, { customer, sku, quantity, unitPrice, discount }) {
  await openView(page, 'Orders');
  await textbox(page, 'Customer').fill(customer);
  await textbox(page, 'SKU').fill(sku);
  await textbox(page, 'Quantity').fill(quantity);
  await textbox(page, 'Unit price').fill(unitPrice);
  if (discount !== undefined) await textbox(page, 'Discount').fill(discount);
  await page.getByRole('button', { name: 'Create order' }).click();
  await page.getByRole('row').filter({ hasText: customer }).waitFor();
}
