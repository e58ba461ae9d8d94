// A damaged log: a stored event that no longer parses, or records gone from the middle (a
// gap). The app still starts, shows the rest of the orders, says which events it left out
// in a banner, marks them in the event log, and keeps taking orders.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrder, damageStore, orderRows, withApp } from './support.mjs';

const app = withApp();
let page;
beforeEach(() => {
  ({ page } = app);
});

const eventLog = () => page.getByRole('table', { name: 'Event log' });

test('a damaged record is reported by its seq, left out and marked in the event log', async () => {
  await createOrder(page, { customer: 'Ada Lovelace' });
  await createOrder(page, { customer: 'Grace Hopper' });
  // Event 3 is Grace's OrderCreated.
  await damageStore(page, { breakPayload: [3] });
  await page.reload();
  const banner = page.getByRole('alert').filter({ hasText: /^1 stored event could not be read/ });
  await banner.waitFor();
  assert.match(await banner.innerText(), /the first: event 3 \(.*OrderCreated/);
  assert.deepEqual(await orderRows(page, ['Customer']), [['Ada Lovelace']]);

  await page.getByRole('link', { name: 'Event log' }).click();
  const damaged = eventLog().getByRole('row').filter({ has: page.getByRole('rowheader', { name: '3', exact: true }) });
  assert.match(await damaged.innerText(), /Damaged, left out of every view: .*OrderCreated/);
  const intact = eventLog().getByRole('row').filter({ has: page.getByRole('rowheader', { name: '1', exact: true }) });
  assert.doesNotMatch(await intact.innerText(), /Damaged/);
});

test('a gap in the log is reported, marked where it is, and the shop goes on after it', async () => {
  await createOrder(page, { customer: 'Ada Lovelace' });
  await createOrder(page, { customer: 'Grace Hopper' });
  await createOrder(page, { customer: 'Alan Turing' });
  // Events 3 and 4 are Grace's order: the records are gone.
  await damageStore(page, { remove: [3, 4] });
  await page.reload();
  const banner = page.getByRole('alert').filter({ hasText: /missing from the log/ });
  await banner.waitFor();
  assert.match(await banner.innerText(), /^2 events are missing from the log, the first: events 3–4\. They are left out/);
  assert.deepEqual(await orderRows(page, ['Customer']), [['Alan Turing'], ['Ada Lovelace']]);

  await createOrder(page, { customer: 'Edsger Dijkstra' });
  assert.deepEqual(await orderRows(page, ['Customer']), [['Edsger Dijkstra'], ['Alan Turing'], ['Ada Lovelace']]);

  await page.getByRole('link', { name: 'Event log' }).click();
  await eventLog().getByRole('rowheader', { name: '8', exact: true }).waitFor();
  assert.deepEqual(await eventLog().getByRole('rowheader').allInnerTexts(), ['8', '7', '6', '5', '3–4', '2', '1']);
  const gap = eventLog().getByRole('row').filter({ has: page.getByRole('rowheader', { name: '3–4' }) });
  assert.match(await gap.innerText(), /Missing: the log does not hold events 3–4 \(2 records\)/);
});
