// The first download's budget (issue 18): the wasm a first visit needs before anything else
// is at most 400,000 bytes gzipped. What the split files add is loaded when first needed and
// is not counted here; BENCHMARKS.md has the profile behind the figure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const DIST = process.env.ORDERLOG_DIST ?? 'dist';
const BUDGET = 400_000;

test('the first download is at most 400,000 bytes of gzipped wasm', async () => {
  const files = (await readdir(DIST)).filter((file) => /^orderlog-[0-9a-f]+_bg\.wasm$/.test(file));
  assert.equal(files.length, 1, `one main module in ${DIST}: ${files}`);
  // Measured as BENCHMARKS.md measures it: gzip -9 (Debian's gzip; node's zlib at level 9
  // gives about 1% more).
  const gzipped = execFileSync('gzip', ['-9c', join(DIST, files[0])], { maxBuffer: 1 << 24 }).length;
  assert.ok(gzipped <= BUDGET, `${files[0]} is ${gzipped} bytes gzipped, ${gzipped - BUDGET} over the budget of ${BUDGET}`);
});
