// The 300,000-row XLSX: SheetJS's parse alone (in Node, `xlsx` from npm)
// against the page's whole read + check (dropped on the built dist/ in
// headless Chromium), side by side in one run. Prints the times and their
// ratio; asserts nothing.
//   node bench/sheetjs.mjs [file.xlsx]   (default bench/out/long-300k.xlsx)
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serveDist, launch, dropServedFile } from '../tests/e2e/harness.mjs';

const XLSX = createRequire(import.meta.url)('xlsx');
const path = process.argv[2] ?? 'bench/out/long-300k.xlsx';
const RUNS = 3;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// SheetJS first, alone on the machine; then the page.
const bytes = readFileSync(path);
const sheetjs = [];
let cells = 0;
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const book = XLSX.read(bytes, { type: 'buffer' });
  sheetjs.push(performance.now() - t0);
  const sheet = book.Sheets[book.SheetNames[0]];
  cells = Object.keys(sheet).filter((k) => k[0] !== '!').length;
}

const server = await serveDist('/', { '/__bench/long.xlsx': path });
const browser = await launch();
const page = [];
let observations = 0;
try {
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto(server.url);
    await p.waitForFunction(() => document.body.dataset.ready === 'true');
    const t0 = await dropServedFile(p, '/__bench/long.xlsx', 'long.xlsx', { dragMs: 500 });
    await p.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 600_000 });
    page.push(await p.evaluate((t0) => performance.now() - t0, t0));
    observations = await p.$eval('[data-testid=file-counts]', (e) => e.closest('li').textContent.replace(/\s+/g, ' ')).catch(() => '?');
    await ctx.close();
  }
} finally {
  await browser.close();
  await server.close();
}

const s = median(sheetjs), b = median(page);
const mb = (statSync(path).size / 1e6).toFixed(1);
console.log(`${path}: ${mb} MB, ${cells.toLocaleString('en')} cells`);
console.log(`page's file line: ${observations}`);
console.log(`SheetJS ${XLSX.version} XLSX.read, in Node (median of ${RUNS}) | ${(s / 1000).toFixed(2)} s`);
console.log(`baocao: drop → read + checked, data-ready, in the page (median of ${RUNS}) | ${(b / 1000).toFixed(2)} s`);
console.log(`baocao faster than SheetJS's parse alone | ${(s / b).toFixed(2)}× | target ≥ 4×`);
