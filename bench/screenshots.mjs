// Screenshots of every view with a demo shop, at 360 px (a phone) and 1280 px (a desk), in
// both themes, from the release build (ORDERLOG_DIST, dist/ unless set):
//   node bench/screenshots.mjs [out dir, docs/screenshots unless given]
// Asserts nothing: the user flows check the layout (e2e/phone.test.mjs).
import { mkdir } from 'node:fs/promises';
import { launchBrowser, loadDemo, openView, serveStatic } from '../e2e/support.mjs';

const out = process.argv[2] ?? 'docs/screenshots';
const VIEWS = ['Orders', 'Dashboard', 'Cash-up', 'Customers', 'Products', 'Event log', 'Import', 'Sync', 'Settings'];
const slug = (name) => name.toLowerCase().replace(/\W+/g, '-');

await mkdir(out, { recursive: true });
const site = await serveStatic(process.env.ORDERLOG_DIST ?? 'dist');
const browser = await launchBrowser();
try {
  const page = await browser.context.newPage();
  await loadDemo(page, site, 40);
  for (const [width, height] of [[360, 740], [1280, 800]]) {
    await page.setViewportSize({ width, height });
    for (const theme of ['light', 'dark']) {
      const themeSwitch = page.getByRole('button', { name: 'Dark theme' });
      if ((await themeSwitch.getAttribute('aria-pressed')) !== String(theme === 'dark')) await themeSwitch.click();
      const shoot = (name) => page.screenshot({ path: `${out}/${width}-${theme}-${slug(name)}.jpg`, type: 'jpeg', quality: 70 });
      for (const view of VIEWS) {
        // A view loaded when first opened replaces the one before once its code is in.
        const before = await page.locator('main h2').first().elementHandle();
        await openView(page, view);
        await page.waitForFunction((old) => document.querySelector('main h2') !== old, before);
        await page.evaluate(() => document.activeElement?.blur());
        await shoot(view);
      }
      await openView(page, 'Orders');
      await page.getByRole('table', { name: 'Orders' }).getByRole('link').first().click();
      await page.getByRole('heading', { name: /^Order #\d+$/ }).waitFor();
      await shoot('order');
      if (width === 360) {
        await page.getByRole('button', { name: 'Menu' }).click();
        await shoot('menu');
        await page.getByRole('button', { name: 'Menu' }).click();
      }
    }
  }
  if (browser.errors.length) throw new Error(`the page threw: ${browser.errors.join('; ')}`);
} finally {
  await browser.close();
  await site.close();
}
