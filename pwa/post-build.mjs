// Trunk's post_build hook (Trunk.toml), also run by hand: node pwa/post-build.mjs <dir>.
// 1. Puts a Content-Security-Policy into index.html: scripts only from this site plus, by
//    its SHA-256, the one inline module trunk writes to start the wasm; wasm compiled by
//    them ('wasm-unsafe-eval'); styles, images, fetches and workers only from this site,
//    and WebSockets to a sync server (TLS, or a development server on this machine); no
//    plugins, no <base>, no form posts.
// 2. Writes sw.js from pwa/service-worker.js, with the build's files to precache and a hash
//    of them all as the build's name.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('usage: post-build.mjs <build dir> (or TRUNK_STAGING_DIR)');
const WORKER = 'sw.js';
const INDEX = join(dir, 'index.html');

function contentSecurityPolicy(html) {
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map(([, code]) => `'sha256-${createHash('sha256').update(code).digest('base64')}'`);
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${inline.join(' ')}`.trim(),
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self' wss: ws://127.0.0.1:* ws://localhost:*",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const page = (await readFile(INDEX, 'utf8')).replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
const policy = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(page)}" />`;
await writeFile(INDEX, page.replace(/<meta charset="utf-8" \/>/, (charset) => `${charset}\n    ${policy}`));

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
console.log(`index.html: Content-Security-Policy set; sw.js: build ${build}, ${files.length} files precached`);
