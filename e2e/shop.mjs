// A seller's steps the flows and the documents' pictures share: setting up a shop, selling
// one line, stocking products, opening an order, a command's control, its history.
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

/**
 * A shop with its details and two VAT rates, prices with tax (Corner Tea Stall, GBP), and an
 * order of two lines: 2 × 6.00 less 10% at 20%, and a zero-rated 1.20 book; 1.00 off the
 * order. It ends on the order's page, a draft.
 */
export async function sellTwoRates(page) {
  await setUpShop(page, {
    name: 'Corner Tea Stall',
    address: '1 Market Square\nYork YO1 7HH',
    taxNumber: 'GB123456789',
    currency: 'GBP',
    zone: 'Europe/London',
    pricesIncludeTax: true,
    rates: [['VAT', '20'], ['Zero', '0']],
    defaultRate: 'VAT',
  });
  await sell(page, { customer: 'Grace Hopper', sku: 'TEA-1', quantity: '2', unitPrice: '6.00', discount: '10%' });
  await page.getByRole('link', { name: '#1001', exact: true }).click();
  const add = page.getByRole('group', { name: 'Add a line' });
  await add.getByRole('textbox', { name: 'SKU', exact: true }).fill('BOOK-1');
  await add.getByRole('textbox', { name: 'Product name', exact: true }).fill('Tea book');
  await add.getByRole('textbox', { name: 'Unit price', exact: true }).fill('1.20');
  await add.getByRole('combobox', { name: 'Tax rate' }).selectOption('Zero 0%');
  await add.getByRole('button', { name: 'Add line' }).click();
  await page.getByRole('cell', { name: 'Zero 0%' }).waitFor();
  const discount = page.getByRole('group', { name: 'Order discount' });
  await discount.getByRole('textbox', { name: 'Order discount' }).fill('1.00');
  await discount.getByRole('button', { name: 'Set discount' }).click();
  // The line's 1.20 showed already: wait for the order's 1.00 on top of it.
  await page.getByRole('table', { name: 'Totals' }).getByRole('row', { name: /^Discounts/ }).filter({ hasText: '2.20' }).waitFor();
}

/** Fills the control `title`'s fields (by label) and presses its `button`, if given. */
export async function control(page, title, fields, button) {
  const group = page.getByRole('group', { name: title, exact: true });
  for (const [name, value] of Object.entries(fields)) {
    await group.getByRole('textbox', { name, exact: true }).fill(value);
  }
  if (button) await group.getByRole('button', { name: button }).click();
}

/** Waits for the order's history to show `line`. */
export const history = (page, line) => page.getByRole('region', { name: 'History' }).getByText(line, { exact: true }).waitFor();

/** Opens the order numbered `number` from the orders list. */
export async function openOrder(page, number) {
  await openView(page, 'Orders');
  await page.getByRole('link', { name: number, exact: true }).click();
  await page.getByRole('heading', { name: `Order ${number}` }).waitFor();
}

/** Registers each `[sku, name, price, units]` on the products view and receives its units. */
export async function stock(page, products) {
  await openView(page, 'Products');
  for (const [sku, name, price, units] of products) {
    await control(page, 'Register a product', { 'Product SKU': sku, Name: name, Price: price }, 'Register product');
    await page.getByText(`Manage ${sku}`).click();
    await control(page, `Receive ${sku}`, { [`Units of ${sku} received`]: units }, `Receive ${sku}`);
  }
}
