// Browser figures for baocao, measured in headless Chromium on the built
// dist/ (run ./dev dist first, or use ./dev bench). Prints a table; asserts
// nothing: these are benchmarks, not tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { serveDist, launch, DIST } from '../tests/e2e/harness.mjs';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const rows = [];
const row = (what, value, target) => rows.push({ what, value, target });

// First-load size: everything the page fetches (wasm + js + css + html).
let gz = 0, br = 0, raw = 0;
for (const f of readdirSync(DIST).filter((f) => /\.(wasm|js|css|html)$/.test(f))) {
  const bytes = readFileSync(join(DIST, f));
  raw += bytes.length;
  gz += gzipSync(bytes, { level: 9 }).length;
  br += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}
row('first load, raw', `${(raw / 1024).toFixed(0)} KiB`, '');
row('first load, gzip -9', `${(gz / 1024).toFixed(0)} KiB`, '≤ 1 MB');
row('first load, brotli 11', `${(br / 1024).toFixed(0)} KiB`, '');

const server = await serveDist('/');
const browser = await launch();
try {
  // Cold load to data-ready, five fresh contexts (no cache).
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      new MutationObserver(() => {
        if (document.body?.dataset.ready === 'true' && !window.__readyAt) window.__readyAt = performance.now();
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
    });
    await page.goto(server.url);
    await page.waitForFunction(() => window.__readyAt);
    loads.push(await page.evaluate(() => window.__readyAt));
    await context.close();
  }
  row('cold load to data-ready (median of 5)', `${median(loads).toFixed(0)} ms`, '≤ 1000 ms');

  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');

  // An edit of the template: input event → next painted frame, 20 times.
  const edits = await page.evaluate(async () => {
    const area = document.querySelector('textarea.template');
    const frame = () => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    const times = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      area.value = area.value.replace(/Sở Nội vụ báo cáo nội dung như sau( \d+)?:/, `Sở Nội vụ báo cáo nội dung như sau ${i}:`);
      area.dispatchEvent(new Event('input', { bubbles: true }));
      await frame();
      times.push(performance.now() - t0);
    }
    return times;
  });
  row('re-render after a template edit, to paint (median of 20)', `${median(edits).toFixed(1)} ms`, '≤ 50 ms');

  // The DOCX build, as the page times it (data-build-ms), 10 times.
  const builds = [];
  for (let i = 0; i < 10; i++) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-docx]')]);
    await dl.delete();
    builds.push(Number(await page.getAttribute('[data-testid=download-docx]', 'data-build-ms')));
  }
  row('DOCX build in the page (median of 10)', `${median(builds).toFixed(1)} ms`, '≤ 100 ms');
  await context.close();
} finally {
  await browser.close();
  await server.close();
}

const w = Math.max(...rows.map((r) => r.what.length));
console.log(`\n${'what'.padEnd(w)} | measured | target`);
for (const r of rows) console.log(`${r.what.padEnd(w)} | ${r.value} | ${r.target}`);
