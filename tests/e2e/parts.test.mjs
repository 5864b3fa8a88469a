// A large text is read by as many workers as the machine has cores but the
// page's one, a part each, and the parts joined: the page shows what one
// worker reading the whole file shows. The machine's cores are emulated
// (Chromium's Emulation.setHardwareConcurrencyOverride), so the test runs
// the same on any machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveDist, launch, dropServedFile, findings, waitReady, OUT } from './harness.mjs';

const ENTITIES = 16_000;
const YEARS = 10;
// Data rows, and what goes wrong where (as a fraction of the way through).
const ROWS = ENTITIES * YEARS * 2;
const at = (fraction) => Math.floor(ROWS * fraction);
const AMBIGUOUS = 1_000;
const UNKNOWN = [at(0.1), at(0.5), at(0.9)];
// The first figure that shows the file's decimal style: in the last part.
const STYLE = at(0.8);
const MISSING = at(0.95);
// About 11 MB: over the size from which a text is read in parts.
const JOINED = join(OUT, 'parts.csv');
// A quoted note with line breaks over the first third of the file: a cut
// there falls inside it, and the file is read whole instead.
const QUOTED = join(OUT, 'parts-quoted.csv');
// A text read a piece at a time (one worker) whose first piece ends inside
// a quoted note: read again whole.
const LONG_ENTITIES = 30_000;
const PIECES = join(OUT, 'pieces-quoted.csv');

let server, browser;

function rows(quotedAt, entities = ENTITIES) {
  const out = ['code,period,value,entity,ghi chú'];
  let i = 0;
  for (let e = 0; e < entities; e++) {
    for (let y = 0; y < YEARS; y++) {
      for (const code of ['CBCC_XA', 'CBCC_XA_DAT_CHUAN_TY_LE']) {
        let [c, value, note] = [code, String(50 + ((e * 7 + y) % 40)), ''];
        if (i === AMBIGUOUS) [c, value] = ['CBCC_XA_DAT_CHUAN_TY_LE', '1.957'];
        if (UNKNOWN.includes(i)) c = 'MA_LA';
        if (i === STYLE) [c, value] = ['CBCC_XA_DAT_CHUAN_TY_LE', '"97,4"'];
        if (i === MISSING) c = '';
        if (i === quotedAt) note = `"${'dòng ghi chú, trong ngoặc kép\n'.repeat(60_000)}"`;
        out.push(`${c},${2015 + y},${value},Xã ${e},${note}`);
        i += 1;
      }
    }
  }
  return `${out.join('\n')}\n`;
}

before(async () => {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(JOINED, rows(-1));
  // The note (2 MB) begins 20,000 rows (0.8 MB) before a third of the file.
  writeFileSync(QUOTED, rows(Math.floor(ROWS / 3) - 20_000));
  // About 21 MB, read a piece of 8 MiB at a time: the note begins half a
  // MiB before the first piece's end.
  const lines = rows(-1, LONG_ENTITIES).split('\n');
  let [offset, row] = [0, 0];
  while (offset + Buffer.byteLength(lines[row + 1]) + 1 < 8 * 2 ** 20 - 2 ** 19) offset += Buffer.byteLength(lines[row++]) + 1;
  writeFileSync(PIECES, rows(row - 1, LONG_ENTITIES));
  server = await serveDist('/', {
    '/__test/parts.csv': JOINED, '/__test/parts-quoted.csv': QUOTED, '/__test/pieces-quoted.csv': PIECES,
  });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

/** Drops `file` on a page that sees `cores` cores, once its workers stand
 * by: the files line, the findings, and how many workers read. */
async function readWith(cores, file) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: cores });
  await page.goto(server.url);
  await waitReady(page);
  // The reader worker stands by, with its helpers.
  const deadline = Date.now() + 10_000;
  while (page.workers().length < cores - 1 && Date.now() < deadline) await page.waitForTimeout(100);
  const workers = page.workers().length;
  await dropServedFile(page, `/__test/${file}`, file);
  await waitReady(page);
  const files = await page.textContent('.files');
  const found = (await findings(page)).map(({ severity, rule, row, text }) => ({ severity, rule, row, text }));
  assert.deepEqual(errors, []);
  await context.close();
  return { files, found, workers };
}

test('a large text read by three workers shows what one worker reading it whole shows', async () => {
  const one = await readWith(2, 'parts.csv');
  const three = await readWith(4, 'parts.csv');
  assert.equal(one.workers, 1);
  assert.equal(three.workers, 3, 'the reader worker and two helpers');
  assert.match(one.files, new RegExp(`parts\\.csv · ${ROWS.toLocaleString('en').replace(/,/g, '\\.')} dòng`));
  assert.equal(three.files, one.files);
  assert.deepEqual(three.found, one.found);
  const read = one.found.filter((f) => f.rule.startsWith('read.'));
  // The style the last part shows is the file's: "1.957" near the top is 1957, said nowhere.
  assert.equal(read.filter((f) => f.rule === 'read.ambiguous-number').length, 0, JSON.stringify(read));
  // One unknown indicator, reported once with the rows of every part.
  const unknown = read.filter((f) => f.rule === 'read.unknown-indicator');
  assert.equal(unknown.length, 1, JSON.stringify(read));
  assert.match(unknown[0].text, /MA_LA.*\(3 dòng\)/);
  assert.equal(unknown[0].row, String(UNKNOWN[0] + 2));
  // A row of the last part is named by its row in the file.
  const missing = read.filter((f) => f.rule === 'read.missing-indicator');
  assert.equal(missing.length, 1, JSON.stringify(read));
  assert.equal(missing[0].row, String(MISSING + 2));
  assert.match(missing[0].text, new RegExp(`Dòng ${MISSING + 2} không có mã`));
});

test('a cut inside a quoted field: the parts are not joined, and the file is read whole', async () => {
  const one = await readWith(2, 'parts-quoted.csv');
  const three = await readWith(4, 'parts-quoted.csv');
  assert.equal(three.workers, 3);
  assert.match(one.files, new RegExp(`parts-quoted\\.csv · ${ROWS.toLocaleString('en').replace(/,/g, '\\.')} dòng`));
  assert.equal(three.files, one.files);
  assert.deepEqual(three.found, one.found);
});

test('a text read a piece at a time whose piece ends inside a quoted field is read whole', async () => {
  const one = await readWith(2, 'pieces-quoted.csv');
  const rows = LONG_ENTITIES * YEARS * 2;
  assert.match(one.files, new RegExp(`pieces-quoted\\.csv · ${rows.toLocaleString('en').replace(/,/g, '\\.')} dòng`));
  // The note's lines are part of one cell, not rows of their own.
  assert.equal(one.found.filter((f) => f.rule === 'read.unknown-indicator').length, 1, JSON.stringify(one.found));
  assert.equal(one.found.filter((f) => f.rule === 'read.unclosed-quote').length, 0);
});
