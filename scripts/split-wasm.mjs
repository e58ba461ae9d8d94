// Trunk's first post_build hook (Trunk.toml): cuts the views loaded when first opened
// (src/ui/later.rs) and the sync loop (src/app/syncing.rs), each a `#[wasm_split]` point, out
// of the first download. Trunk cannot split a wasm module itself, so this redoes its last
// steps on the module cargo built:
// 1. wasm-split-cli (crates.io `wasm_split_cli_support`, the splitter Leptos' `#[lazy]` is
//    made for) cuts the module at its split points: a main module, a module per part, the
//    code parts share in modules of their own, and `__wasm_split.js`, which fetches a part
//    and what it needs when first called;
// 2. wasm-bindgen (the version trunk runs) makes the main module's JavaScript, keeping the
//    linker's exports the split modules use (its memory, table and stack pointer);
// 3. wasm-opt -Oz (release builds) shrinks every module;
// 4. the results replace trunk's under trunk's names; the split files get names with their
//    content's hash, and index.html's integrity hashes are made again.
// pwa/post-build.mjs then lists every file for the service worker (trunk starts a stage's
// hooks together, so Trunk.toml runs the two in one).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
const profile = process.env.TRUNK_PROFILE ?? 'debug';
if (!staging) throw new Error('split-wasm.mjs runs as trunk post_build hook (TRUNK_STAGING_DIR)');
const targetDir = process.env.CARGO_TARGET_DIR ?? 'target';
const built = join(targetDir, 'wasm32-unknown-unknown', profile, 'orderlog.wasm');

const staged = await readdir(staging);
const only = (pattern) => {
  const found = staged.filter((name) => pattern.test(name));
  if (found.length !== 1) throw new Error(`expected one file like ${pattern} in ${staging}, found ${found}`);
  return found[0];
};
const script = only(/^orderlog-[0-9a-f]+\.js$/);
const module = only(/^orderlog-[0-9a-f]+_bg\.wasm$/);
const run = (tool, args) => execFileSync(tool, args, { stdio: ['ignore', 'ignore', 'inherit'] });
const hashOf = (bytes, algorithm = 'sha256') => createHash(algorithm).update(bytes).digest();

const work = await mkdtemp(join(tmpdir(), 'orderlog-split-'));
try {
  const split = join(work, 'split');
  run('wasm-split-cli', [built, split]);
  const bound = join(work, 'bound');
  const name = script.replace(/\.js$/, '');
  run('wasm-bindgen', [join(split, 'main.wasm'), '--target', 'web', '--keep-lld-exports', '--no-typescript',
    '--out-dir', bound, '--out-name', name]);
  const parts = (await readdir(split)).filter((file) => file.endsWith('.wasm') && file !== 'main.wasm');
  const modules = [join(bound, `${name}_bg.wasm`), ...parts.map((part) => join(split, part))];
  if (profile === 'release') {
    for (const file of modules) run('wasm-opt', ['-Oz', file, '-o', file]);
  }

  // Each split module under a name with its hash, and the loader told the new names and
  // where the main module's JavaScript is.
  let loader = await readFile(join(split, '__wasm_split.js'), 'utf8');
  loader = swap(loader, '"./main.js"', JSON.stringify(`./${script}`));
  for (const part of parts) {
    const bytes = await readFile(join(split, part));
    const hashed = part.replace(/\.wasm$/, `-${hashOf(bytes).toString('hex').slice(0, 16)}.wasm`);
    loader = swap(loader, JSON.stringify(`./${part}`), JSON.stringify(`./${hashed}`));
    await copyFile(join(split, part), join(staging, hashed));
  }
  const loaderName = `__wasm_split-${hashOf(loader).toString('hex').slice(0, 16)}.js`;
  await writeFile(join(staging, loaderName), loader);
  // The glue's `import … from "./__wasm_split.js"` lines only: the same string also names the
  // wasm module's imports, which stay.
  const glue = (await readFile(join(bound, `${name}.js`), 'utf8'))
    .replaceAll(' from "./__wasm_split.js"', ` from ${JSON.stringify(`./${loaderName}`)}`);
  await writeFile(join(staging, script), glue);
  await copyFile(join(bound, `${name}_bg.wasm`), join(staging, module));

  // index.html preloads both with their integrity hashes: made again for the new contents.
  const index = join(staging, 'index.html');
  let page = await readFile(index, 'utf8');
  for (const file of [script, module]) {
    const integrity = `sha384-${hashOf(await readFile(join(staging, file)), 'sha384').toString('base64')}`;
    page = page.replace(new RegExp(`(href="/${file}"[^>]*integrity=")[^"]*"`), `$1${integrity}"`);
  }
  await writeFile(index, page);
  console.log(`split-wasm: ${parts.length} modules loaded when first opened, besides ${module}`);
} finally {
  await rm(work, { recursive: true, force: true });
}

/** `text` with its one `from` replaced by `to`: a missing or repeated `from` is an error. */
function swap(text, from, to) {
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`split-wasm: expected ${from} once, found it ${count} times`);
  return text.replace(from, () => to);
}
