// The browser benchmark harness: runs each measurement in headless Chromium against the
// release build (dist/), each trial in a fresh on-disk profile (a fresh database), warm-up
// trials first, and reports the median, min and max. Writes target/bench/results.json and
// target/bench/results.md. Asserts nothing about speed. Run through scripts/bench.
//
//   node bench/run.mjs [measurement …]     BENCH_TRIALS (10) and BENCH_WARMUP (1) set the counts.
import { mkdir, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { launchBrowser, serveStatic } from '../e2e/support.mjs';
import { shopifyCsv } from './shopify-csv.mjs';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const IMPORT_ORDERS = 15_000; // four rows each: a 60,000-row export

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs `trial` WARMUP + TRIALS times, each in a new browser, keeping the last TRIALS results. */
async function trials(site, trial) {
  const results = [];
  for (let n = 0; n < WARMUP + TRIALS; n++) {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(site.url);
      await page.getByRole('button', { name: 'Create order' }).waitFor();
      const result = await trial(page);
      if (browser.errors.length) throw new Error(`the page threw: ${browser.errors.join('; ')}`);
      if (n >= WARMUP) results.push(result);
      process.stderr.write(`  ${n < WARMUP ? 'warm-up' : 'trial'} ${n + 1}: ${JSON.stringify(result)}\n`);
    } finally {
      await browser.close();
    }
  }
  return results;
}

/** Each named figure of the trials as { median, min, max }. */
function summarise(results) {
  const figures = {};
  for (const key of Object.keys(results[0])) {
    const values = results.map((r) => r[key]);
    figures[key] = typeof values[0] === 'number'
      ? { median: median(values), min: Math.min(...values), max: Math.max(...values) }
      : values[0];
  }
  return figures;
}

const MEASUREMENTS = {
  /** A 60,000-row Shopify export from choosing the file to the dashboard's figures. */
  async import(site) {
    const csv = Buffer.from(shopifyCsv(IMPORT_ORDERS));
    const results = await trials(site, async (page) => {
      await page.getByRole('link', { name: 'Import', exact: true }).click();
      const started = performance.now();
      await page.getByLabel('Shopify orders CSV').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: csv });
      await page.getByText(`${IMPORT_ORDERS} orders with ${IMPORT_ORDERS * 4} line items will be imported; 0 rejected.`).waitFor({ timeout: 60_000 });
      const previewed = performance.now();
      await page.getByRole('button', { name: `Import ${IMPORT_ORDERS} orders` }).click();
      const done = page.getByRole('status').filter({ hasText: /^Done: the import wrote|failed/ });
      await done.waitFor({ timeout: 600_000 });
      const message = await done.innerText();
      if (!message.startsWith('Done')) throw new Error(message);
      await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
      await page.getByRole('group', { name: 'Orders', exact: true }).getByText(String(IMPORT_ORDERS), { exact: true }).waitFor();
      const shown = performance.now();
      const events = await page.evaluate(() => new Promise((resolve, reject) => {
        const open = indexedDB.open('orderlog');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('events').objectStore('events').count();
          count.onsuccess = () => { open.result.close(); resolve(count.result); };
        };
      }));
      return {
        'preview ms': Math.round(previewed - started),
        'import to dashboard ms': Math.round(shown - previewed),
        'file to dashboard ms': Math.round(shown - started),
        'events stored': events,
      };
    });
    return { rows: IMPORT_ORDERS * 4, orders: IMPORT_ORDERS, ...summarise(results) };
  },
};

const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(MEASUREMENTS);
const site = await serveStatic(process.env.ORDERLOG_DIST ?? 'dist');
const machine = {
  browser: execFileSync(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(),
  cores: (await import('node:os')).cpus().length,
  trials: TRIALS,
  warmup: WARMUP,
  date: new Date().toISOString(),
};
const results = { machine };
try {
  for (const name of chosen) {
    process.stderr.write(`${name}\n`);
    results[name] = await MEASUREMENTS[name](site);
  }
} finally {
  await site.close();
}

const cell = (value) => (typeof value === 'object' ? `${value.median} (${value.min}–${value.max})` : String(value));
const lines = [`Machine: ${machine.browser}, ${machine.cores} cores; median (min–max) of ${TRIALS} trials after ${WARMUP} warm-up.`, ''];
for (const name of chosen) {
  lines.push(`### ${name}`, '', '| figure | value |', '|---|---|');
  for (const [figure, value] of Object.entries(results[name])) lines.push(`| ${figure} | ${cell(value)} |`);
  lines.push('');
}
await mkdir('target/bench', { recursive: true });
await writeFile('target/bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
await writeFile('target/bench/results.md', lines.join('\n'));
console.log(lines.join('\n'));
