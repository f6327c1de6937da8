// After `vite build`: writes a brotli (.br) and a gzip (.gz) copy next to every
// compressible file of dist/ (components/web serves them when the browser
// accepts them), then prints the JavaScript budgets and fails when one is
// exceeded:
//   - initial JavaScript (the entry chunk and everything it imports
//     statically), gzipped: under 150 KB;
//   - each lazily loaded route (its chunk and the chunks it imports that the
//     initial load does not already have), gzipped: under 250 KB.
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const KB = 1024;
const BUDGET_INITIAL = 150 * KB;
const BUDGET_ROUTE = 250 * KB;
const dist = new URL("../dist/", import.meta.url).pathname;
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|xml|webmanifest|wasm)$/;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const gzipped = new Map();
function gzipSize(path) {
  if (!gzipped.has(path)) gzipped.set(path, gzipSync(readFileSync(path), { level: 9 }).length);
  return gzipped.get(path);
}

// Vite's manifest says which chunk imports which; it is not served.
const manifestPath = join(dist, ".vite/manifest.json");
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
rmSync(join(dist, ".vite"), { recursive: true, force: true });

let written = 0;
for (const path of files(dist)) {
  if (!COMPRESSIBLE.test(path)) continue;
  const data = readFileSync(path);
  const gz = gzipSync(data, { level: 9 });
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  // A variant only when it saves bytes; the server falls back to the original.
  if (gz.length < data.length) (writeFileSync(`${path}.gz`, gz), written++);
  if (br.length < data.length) (writeFileSync(`${path}.br`, br), written++);
}

function closure(keys, seen = new Set()) {
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    closure(manifest[key]?.imports ?? [], seen);
  }
  return seen;
}
const jsSize = (keys) =>
  [...keys]
    .map((key) => manifest[key].file)
    .filter((file) => file.endsWith(".js"))
    .reduce((sum, file) => sum + gzipSize(join(dist, file)), 0);

const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
const initial = closure(entries);
const initialSize = jsSize(initial);
const routes = Object.keys(manifest)
  .filter((key) => manifest[key].isDynamicEntry)
  .map((key) => {
    const own = [...closure([key])].filter((k) => !initial.has(k));
    return { name: manifest[key].src ?? key, size: jsSize(own) };
  })
  .sort((a, b) => b.size - a.size);

const kb = (n) => `${(n / KB).toFixed(1)} KB`;
console.log(`compress: ${written} pre-compressed files (.br, .gz) in ${relative(process.cwd(), dist) || "dist"}`);
console.log(`budget: initial JavaScript ${kb(initialSize)} gzipped (limit ${kb(BUDGET_INITIAL)})`);
for (const route of routes) console.log(`budget:   route ${route.name}: ${kb(route.size)} gzipped`);
const largest = routes[0] ?? { name: "(none)", size: 0 };
console.log(`budget: largest route ${largest.name} ${kb(largest.size)} gzipped (limit ${kb(BUDGET_ROUTE)})`);

const failures = [];
if (initialSize > BUDGET_INITIAL) failures.push(`initial JavaScript ${kb(initialSize)} > ${kb(BUDGET_INITIAL)}`);
if (largest.size > BUDGET_ROUTE) failures.push(`route ${largest.name} ${kb(largest.size)} > ${kb(BUDGET_ROUTE)}`);
if (failures.length > 0) {
  console.error(`budget exceeded: ${failures.join("; ")}`);
  process.exit(1);
}
