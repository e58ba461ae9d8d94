// Trunk's post_build hook (Trunk.toml): writes sw.js into the build from
// pwa/service-worker.js, with the build's files to precache and a hash of them all as the
// build's name. Also runs by hand: node pwa/build-service-worker.mjs <dir>.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('usage: build-service-worker.mjs <build dir> (or TRUNK_STAGING_DIR)');
const WORKER = 'sw.js';

const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
  .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
  .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
  .filter((file) => file !== WORKER)
  .sort();
const hash = createHash('sha256');
for (const file of files) {
  hash.update(`${file}\0`);
  hash.update(await readFile(join(dir, file)));
}
const build = hash.digest('hex').slice(0, 16);
const template = await readFile(join(dirname(fileURLToPath(import.meta.url)), 'service-worker.js'), 'utf8');
const worker = template.replace("'__BUILD__'", JSON.stringify(build)).replace('__FILES__', JSON.stringify(files));
await writeFile(join(dir, WORKER), worker);
console.log(`sw.js: build ${build}, ${files.length} files precached`);
