// A browser that gives the site no IndexedDB (turned off, some private windows) or refuses
// to open it: the page says what happened and what to do; no blank page, no error thrown.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from './support.mjs';

const app = withApp();
let page;
beforeEach(() => {
  ({ page } = app);
});

async function startWith(script) {
  await page.addInitScript(script);
  await page.reload();
}

async function refusal() {
  const alert = page.getByRole('alert').filter({ hasText: /^Orders cannot be loaded/ });
  await alert.waitFor();
  return alert.innerText();
}

test('without IndexedDB the page says so and what to do', async () => {
  await startWith(() => Object.defineProperty(window, 'indexedDB', { get: () => undefined }));
  assert.match(await refusal(), /Check that this browser allows site storage/);
  assert.equal(await page.getByRole('button', { name: 'Create order' }).isDisabled(), true);
  await page.getByRole('heading', { name: 'Orders' }).waitFor();
});

test('a refused open says so and what to do', async () => {
  await startWith(() => {
    IDBFactory.prototype.open = function refuse() {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
  });
  assert.match(await refusal(), /^Orders cannot be loaded: the browser's storage refused: it would not open the database\. Check that this browser allows site storage/);
  assert.equal(await page.getByRole('button', { name: 'Create order' }).isDisabled(), true);
});
