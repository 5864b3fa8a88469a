// The two files that once took the page down: a tiny workbook with one stray
// cell at XFD1048576, and a 50 MB CSV whose every row breaks a rule. Each is
// read, the page becomes ready, and it comes back after a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  serveDist, launch, dropServedFile, findings, waitReady, saved, OUT, EVERY_ROW, writeStrayCellXlsx, writeEveryRowCsv,
} from './harness.mjs';

const STRAY = join(OUT, 'o-lac-xfd.xlsx');
const WRONG = join(OUT, 'sai-moi-dong.csv');
const RIGHT = join(OUT, 'dung-moi-dong.csv');
let server, browser;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  writeStrayCellXlsx(STRAY);
  writeEveryRowCsv(WRONG, true);
  writeEveryRowCsv(RIGHT, false);
  server = await serveDist('/baocao/', {
    '/baocao/__test/stray.xlsx': STRAY,
    '/baocao/__test/wrong.csv': WRONG,
    '/baocao/__test/right.csv': RIGHT,
  });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

async function open(context) {
  const page = await context.newPage();
  // A handle on the page's wasm, for its memory.
  await page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; }));
  await page.goto(server.url);
  await waitReady(page);
  return page;
}
const wasmBytes = (page) => page.evaluate(() => window.__wasm?.memory?.buffer?.byteLength ?? 0);
const waitLong = (page) => page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 180_000 });

test('a 1.6 KB workbook with one stray cell at XFD1048576: read, warned, ready, and again after a reload', async () => {
  assert.ok(statSync(STRAY).size < 20_000);
  const context = await browser.newContext();
  let page = await open(context);
  await dropServedFile(page, '/baocao/__test/stray.xlsx', 'o-lac-xfd.xlsx');
  await waitReady(page);
  const check = async () => {
    assert.match(await page.textContent('.files'), /o-lac-xfd\.xlsx · 1 dòng/);
    assert.ok((await findings(page)).some((f) => f.rule === 'read.outside-limits'), 'the stray cell is named');
  };
  await check();
  await saved(page, 'o-lac-xfd.xlsx');
  await page.reload();
  await waitReady(page);
  await check();
  await context.close();
});

test('a 50 MB CSV whose every row breaks a rule: counted exactly, kept within the cap, memory as for a file with none', async () => {
  // The same file with figures that add up, for the memory it takes (in a
  // context of its own: nothing restored into the next).
  const cleanContext = await browser.newContext();
  let page = await open(cleanContext);
  await dropServedFile(page, '/baocao/__test/right.csv', 'dung-moi-dong.csv');
  await waitLong(page);
  const clean = await wasmBytes(page);
  assert.equal(await page.$('[data-rule-group=CBCC_XA_TONG]'), null);
  await cleanContext.close();

  const context = await browser.newContext();
  page = await open(context);
  await dropServedFile(page, '/baocao/__test/wrong.csv', 'sai-moi-dong.csv');
  await waitLong(page);
  const failing = await wasmBytes(page);
  const group = await page.$('[data-rule-group=CBCC_XA_TONG]');
  assert.ok(group, 'the rule is reported');
  assert.equal(Number(await group.getAttribute('data-count')), EVERY_ROW.communes * EVERY_ROW.years, 'every breach counted');
  const shown = (await findings(page)).filter((f) => f.rule === 'CBCC_XA_TONG');
  assert.ok(shown.length <= 1001, `kept within the cap: ${shown.length}`);
  assert.match(await page.textContent('.files'), /sai-moi-dong\.csv · 300\.000 dòng · 3\.000\.000 lỗi/);
  assert.ok(failing <= 1.5 * clean, `wasm memory ${failing >> 20} MiB with the findings, ${clean >> 20} MiB without`);
  console.log(`# wasm memory: ${clean >> 20} MiB without findings, ${failing >> 20} MiB with ${EVERY_ROW.communes * EVERY_ROW.years} (${(failing / clean).toFixed(2)}×)`);
  await context.close();
});
