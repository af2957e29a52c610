// Precompress the build's text assets (Brotli and gzip, best levels) so that the gateway sends them
// compressed without spending CPU per request: the hashed names never change, the work is done once.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const ASSETS = resolve(import.meta.dirname, "..", process.argv[2] ?? "dist", "assets");
const TEXT = /\.(js|css|svg|json|html|txt|map)$/;

let before = 0;
let after = 0;
for (const name of readdirSync(ASSETS)) {
  const path = join(ASSETS, name);
  if (!TEXT.test(name) || statSync(path).size < 1024) continue;
  const content = readFileSync(path);
  const brotli = brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  writeFileSync(`${path}.br`, brotli);
  writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
  before += content.length;
  after += brotli.length;
}
console.log(`compressed assets: ${(before / 1024).toFixed(0)} KB -> ${(after / 1024).toFixed(0)} KB (brotli)`);
