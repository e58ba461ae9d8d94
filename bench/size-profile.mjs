// Size profile of the release wasm by crate: each function's code bytes are attributed to a
// crate by its demangled symbol path. The wasm must keep its name section, so it is made the
// way trunk makes dist/*_bg.wasm, with wasm-opt's -g added:
//
//   trunk build --release        # leaves target/wasm-bindgen/release/orderlog_bg.wasm
//   wasm-opt -Oz -g target/wasm-bindgen/release/orderlog_bg.wasm -o target/size/named.wasm
//   node bench/size-profile.mjs target/size/named.wasm [rows] [--top N]
//
// Attribution: the first segment of the path (`serde_json::de::...` is serde_json). For
// `<A as B>::f`, the crate of A, unless A is a std type, a primitive, a tuple or a reference:
// then the crate of the trait B (`<(A, B) as tachys::view::Render>::build` is tachys);
// `<str>::f` is core.
// `core::ptr::drop_in_place<T>` is the crate of T. "Copies" are bytes in functions whose
// path (hash dropped) occurs more than once: the monomorphised copies of one generic function.
import { readFileSync } from 'node:fs';

const STD = new Set(['core', 'alloc', 'std']);

function sections(buf) {
  let pos = 8;
  const leb = () => {
    let result = 0, shift = 0, byte;
    do {
      byte = buf[pos++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const name = () => {
    const len = leb();
    const s = buf.toString('utf8', pos, pos + len);
    pos += len;
    return s;
  };
  let imported = 0;
  const bodies = [];
  const names = new Map();
  let data = 0;
  while (pos < buf.length) {
    const id = buf[pos++];
    const size = leb();
    const end = pos + size;
    if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        name();
        name();
        const kind = buf[pos++];
        if (kind === 0) { leb(); imported++; }
        else if (kind === 1) { pos++; const flags = leb(); leb(); if (flags & 1) leb(); }
        else if (kind === 2) { const flags = leb(); leb(); if (flags & 1) leb(); }
        else if (kind === 3) { pos += 2; }
        else { leb(); leb(); }
      }
    } else if (id === 10) {
      for (let n = leb(); n > 0; n--) {
        const len = leb();
        bodies.push(len);
        pos += len;
      }
    } else if (id === 11) {
      data = size;
    } else if (id === 0 && name() === 'name') {
      while (pos < end) {
        const sub = buf[pos++];
        const subSize = leb();
        const subEnd = pos + subSize;
        if (sub === 1) {
          for (let n = leb(); n > 0; n--) {
            const index = leb();
            names.set(index, name());
          }
        }
        pos = subEnd;
      }
    }
    pos = end;
  }
  return { imported, bodies, names, data };
}

// The crate of a type or path: its first segment, past references, pointers and `dyn`.
function head(path) {
  const bare = path.replace(/^(&(mut )?|\*(const|mut) |dyn |\[)+/, '');
  if (bare.startsWith('(')) return null;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(\[[0-9a-f]+\])?::/.exec(bare);
  return m ? m[1] : null;
}

// `<A as B>::rest` split at its outer brackets, or null.
function qualified(path) {
  if (!path.startsWith('<')) return null;
  let depth = 0;
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '<') depth++;
    else if (path[i] === '>' && --depth === 0) {
      const inner = path.slice(1, i);
      let d = 0;
      for (let j = 0; j < inner.length; j++) {
        if (inner[j] === '<' || inner[j] === '(' || inner[j] === '[') d++;
        else if (inner[j] === '>' || inner[j] === ')' || inner[j] === ']') d--;
        else if (d === 0 && inner.startsWith(' as ', j)) {
          return { self: inner.slice(0, j), trait: inner.slice(j + 4) };
        }
      }
      return { self: inner, trait: null };
    }
  }
  return null;
}

function crateOf(path) {
  const q = qualified(path);
  if (q) {
    const own = head(q.self);
    if (own && !STD.has(own)) return own;
    // An inherent method of a primitive (`<str>::to_lowercase`) is core's.
    return (q.trait && head(q.trait)) || own || 'core';
  }
  const glue = /^core::ptr::drop_in_place<(.*)>$/.exec(path);
  if (glue) return crateOf(glue[1]) === '[other]' ? 'core' : crateOf(glue[1]);
  if (path.startsWith('__wbg_') || path.startsWith('__wbindgen')) return 'wasm_bindgen';
  return head(path) || '[other]';
}

const args = process.argv.slice(2);
const file = args[0];
if (!file) {
  console.error('usage: node bench/size-profile.mjs NAMED.wasm [rows] [--top N]');
  process.exit(2);
}
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 0;
const rows = Number(args.find((a, i) => i > 0 && /^\d+$/.test(a) && args[i - 1] !== '--top') ?? 25);

const { imported, bodies, names, data } = sections(readFileSync(file));
const fns = bodies.map((size, i) => {
  const full = names.get(imported + i) ?? `func${imported + i}`;
  const path = full.replace(/::h[0-9a-f]{16}$/, '');
  return { size, path, crate: crateOf(path) };
});
const seen = new Map();
for (const f of fns) seen.set(f.path, (seen.get(f.path) ?? 0) + 1);

const code = fns.reduce((n, f) => n + f.size, 0);
const byCrate = new Map();
let copies = 0;
for (const f of fns) {
  const c = byCrate.get(f.crate) ?? { bytes: 0, fns: 0, copies: 0 };
  c.bytes += f.size;
  c.fns += 1;
  if (seen.get(f.path) > 1) {
    c.copies += f.size;
    copies += f.size;
  }
  byCrate.set(f.crate, c);
}
const pct = (n, of) => `${((100 * n) / of).toFixed(1)}%`;
console.log(`functions ${fns.length}, code ${code} bytes, data ${data} bytes`);
console.log(`monomorphised copies: ${copies} bytes (${pct(copies, code)} of code)\n`);
console.log('| crate | code bytes | share | functions | copies |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [crate, c] of [...byCrate].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, rows)) {
  console.log(`| ${crate} | ${c.bytes} | ${pct(c.bytes, code)} | ${c.fns} | ${pct(c.copies, c.bytes)} |`);
}
if (top > 0) {
  console.log('\n| function | bytes | crate |\n| --- | ---: | --- |');
  for (const f of [...fns].sort((a, b) => b.size - a.size).slice(0, top)) {
    console.log(`| ${f.path.slice(0, 140)} | ${f.size} | ${f.crate} |`);
  }
}
