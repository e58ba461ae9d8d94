// Corrections (issue 20): a payment recorded by mistake is voided with a reason, and a placed
// order with nothing paid or fulfilled goes back to a draft; nothing is ever edited.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrder, storedEventCount, withApp } from './support.mjs';

const app = withApp();
let page;
beforeEach(() => {
  ({ page } = app);
});

async function control(title, fields, button) {
  const group = page.getByRole('group', { name: title });
  for (const [name, value] of Object.entries(fields)) {
    await group.getByRole('textbox', { name, exact: true }).fill(value);
  }
  await group.getByRole('button', { name: button }).click();
}

async function balanceDue() {
  return page.getByRole('table', { name: 'Totals' }).getByRole('row', { name: /^Balance due/ }).getByRole('cell').innerText();
}

const history = (line) => page.getByRole('region', { name: 'History' }).getByText(line).waitFor();

test('a mistaken payment is voided with its reason, and an order with nothing paid reopens as a draft', async () => {
  await createOrder(page, { customer: 'Ada Lovelace', quantity: '1', unitPrice: '10' });
  await page.getByRole('link', { name: '#1001', exact: true }).click();
  await page.getByRole('button', { name: 'Place order' }).click();
  await control('Payment', { 'Payment amount': '4' }, 'Record payment');
  await history('Payment of 4.00 USD received in cash');
  await control('Payment', { 'Payment amount': '6' }, 'Record payment');
  await history('Payment of 6.00 USD received in cash');
  assert.equal(await balanceDue(), '0.00');
  assert.equal(await page.getByRole('button', { name: 'Reopen as a draft' }).count(), 0, 'a paid order does not reopen');

  // A reason is required: refused beside the control, nothing written.
  const written = await storedEventCount(page);
  await control('Void payment 1 (4.00 cash)', {}, 'Void payment 1');
  await page.getByRole('group', { name: 'Void payment 1 (4.00 cash)' }).getByRole('alert').filter({ hasText: 'this field is required' }).waitFor();
  assert.equal(await storedEventCount(page), written);

  await control('Void payment 1 (4.00 cash)', { 'Reason for voiding payment 1': 'rang up twice' }, 'Void payment 1');
  await history('Payment 1 of 4.00 voided: rang up twice');
  assert.equal(await balanceDue(), '4.00');
  assert.equal(await page.getByRole('button', { name: 'Void payment 1' }).count(), 0, 'a void payment is not offered again');

  await control('Void payment 2 (6.00 cash)', { 'Reason for voiding payment 2': 'wrong order' }, 'Void payment 2');
  await history('Payment 2 of 6.00 voided: wrong order');
  await page.getByRole('button', { name: 'Reopen as a draft' }).click();
  await history('Order reopened as a draft');
  // A draft again: its lines change, and it can be placed again.
  await page.getByRole('group', { name: 'Add a line' }).waitFor();
  assert.match(await page.locator('dl.facts').innerText(), /Draft \(not placed\)/);
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByRole('button', { name: 'Record payment' }).waitFor();
  assert.equal(await balanceDue(), '10.00');
});
