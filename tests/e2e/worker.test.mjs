// Large files are read in the reader worker: the page shows how far it is,
// keeps painting, lets the user stop, and takes the read when it is done.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  serveDist, launch, openPage, chooseFiles, download, dropServedFile, dropServedFiles, findings, waitReady, OUT,
  REFERENCE_CSV, ROOT, readerWorker, referenceWith, rowOf,
} from './harness.mjs';

// The reference figures for 2,000 communes: 126,000 rows, about 10 MB, far
// over the 1 MiB the page reads in place.
const ENTITIES = 2000;
const BIG = join(OUT, 'communes.csv');
// Another 2,000 communes, commune 7 of them with 2,641 civil servants (a
// part that no longer adds up to its total).
const WRONG = join(OUT, 'communes-sai.csv');
const WRONG_ENTITY = 7;
// The built-in catalogue under another name.
const CATALOGUE = join(OUT, 'danh-muc-tinh.toml');
// A worker of another build: it says it is ready, naming a build that is
// not the page's (bincode of Reply::Ready { build: "0000000000000000" }:
// variant 0, length 16, the text), and answers nothing.
const OTHER_BUILD = join(OUT, 'other-build.js');
let rows = 0;
let server, browser;

/** The reference figures once per commune, numbered from `first`;
 * `wrong` for the seventh's. */
function communes(first, wrong) {
  const [header, ...lines] = REFERENCE_CSV.trim().split('\n');
  const [, ...wrongLines] = wrong.trim().split('\n');
  const out = [`${header},entity`];
  for (let e = 1; e <= ENTITIES; e++) {
    const name = `Xã ${String(first + e - 1).padStart(4, '0')}`;
    for (const line of e === WRONG_ENTITY ? wrongLines : lines) out.push(`${line},${name}`);
  }
  return out;
}

before(async () => {
  mkdirSync(OUT, { recursive: true });
  const out = communes(1, REFERENCE_CSV);
  rows = out.length - 1;
  writeFileSync(BIG, `${out.join('\n')}\n`);
  writeFileSync(WRONG, `${communes(ENTITIES + 1, referenceWith('CONG_CHUC_XA', '2020', '2641')).join('\n')}\n`);
  const builtin = readFileSync(join(ROOT, 'assets', 'catalog.toml'), 'utf8');
  writeFileSync(CATALOGUE, builtin.replace(/^name = .*$/m, 'name = "Danh mục của tỉnh"'));
  writeFileSync(OTHER_BUILD, 'const b = new Uint8Array(4 + 8 + 16); b[4] = 16; b.fill(48, 12);\npostMessage(b);\nonmessage = () => {};\n');
  server = await serveDist('/baocao/', {
    '/baocao/__test/danh-muc-tinh.toml': CATALOGUE,
    '/baocao/__test/communes.csv': BIG,
    '/baocao/__test/communes-sai.csv': WRONG,
    '/baocao/__test/other-build.js': OTHER_BUILD,
  });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

/** Drops the big file, counting the frames the page paints from then on. */
async function dropBig(page) {
  await page.evaluate(() => {
    window.__frames = [];
    const tick = (t) => { window.__frames.push(t); if (!window.__stopFrames) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  await dropServedFile(page, '/baocao/__test/communes.csv', 'communes.csv');
}

test('a large file is read in the worker with progress; its figures and findings arrive', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  const spawned = readerWorker(page);
  await dropBig(page);
  const worker = await spawned;
  const closed = new Promise((ok) => worker.once('close', ok));
  // Looked at in the frame the progress shows in: the read takes a moment only.
  const shown = await page.waitForFunction(() => {
    const reading = document.querySelector('[data-testid=reading]');
    return reading?.querySelector('[data-testid=read-progress]')
      && { file: reading.dataset.file, ready: document.body.dataset.ready };
  }, null, { timeout: 10_000, polling: 'raf' });
  const { file, ready } = await shown.jsonValue();
  assert.equal(file, 'communes.csv');
  assert.equal(ready, 'false', 'not ready while reading');
  await waitReady(page);
  const frames = await page.evaluate(() => { window.__stopFrames = true; return window.__frames.length; });
  assert.ok(frames > 5, `the page kept painting while the worker read (${frames} frames)`);
  const files = await page.textContent('.files');
  // Counts in Vietnamese style: 126.000 dòng.
  assert.match(files, new RegExp(`communes\\.csv · ${rows.toLocaleString('en').replace(/,/g, '\\.')} dòng`), files);
    assert.equal(await page.$('[data-testid=reading]'), null);
  // Its work done, the worker is let go, and the memory it held with it.
  await Promise.race([closed, new Promise((_, no) => setTimeout(() => no(new Error('the worker stayed')), 10_000))]);
  // The worker's read goes through the checks like any other: no error in the reference figures.
  assert.equal((await findings(page)).filter((f) => f.severity === 'error').length, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

/** What the DOCX records of the inputs: SHA-256 over each file's name,
 * size and SHA-256 (`Workspace::inputs_hash`). */
function inputsHash(files) {
  const u64 = (n) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; };
  const h = createHash('sha256');
  for (const [name, bytes] of files) {
    h.update(u64(Buffer.byteLength(name))).update(name).update(u64(bytes.length));
    h.update(createHash('sha256').update(bytes).digest());
  }
  return h.digest('hex');
}

/** A part of a zip (a DOCX, a workspace file), by Python's zipfile. */
function zipPart(path, part) {
  const script = 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))';
  return execFileSync('python3', ['-c', script, path, part], { maxBuffer: 64 << 20 });
}

test('a large file stays with the browser: its rows, the workspace exported, the DOCX hash and a reload all come from it', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  const bytes = readFileSync(WRONG);
  await dropServedFile(page, '/baocao/__test/communes-sai.csv', 'communes-sai.csv');
  await waitReady(page);
  // The rows around the broken part, read from the file by the worker.
  const broken = (await findings(page)).filter((f) => f.severity === 'error');
  assert.equal(broken.length, 1, JSON.stringify(broken));
  await page.click(`[data-testid=finding][data-rule="${broken[0].rule}"] [data-testid=open-source]`);
  await page.waitForSelector('[data-testid=source-view] td[data-hit]');
  const hits = await page.$$eval('[data-testid=source-view] td[data-hit]', (els) => els.map((e) => e.textContent));
  assert.ok(hits.includes('2641'), JSON.stringify(hits));
  assert.match(await page.textContent('[data-testid=source-view]'), /communes-sai\.csv/);
  // The workspace exported holds the file byte for byte, streamed from the browser's copy.
  const exported = await download(page, 'export-workspace', 'lon.baocao');
  assert.ok(zipPart(exported.path, 'files/0').equals(bytes), 'the file, whole');
  // The DOCX records the hash of the file's bytes.
  await page.click('[data-testid=download-docx]');
  const docx = await download(page, 'download-anyway', 'lon.docx');
  const custom = zipPart(docx.path, 'docProps/custom.xml').toString('utf8');
  assert.ok(custom.includes(inputsHash([['communes-sai.csv', bytes]])), custom);
  // Reloaded, the file comes back from storage and is read again: the same findings.
  const before = await findings(page);
  await page.reload();
  await waitReady(page);
  assert.ok((await page.textContent('.files')).includes('communes-sai.csv'));
  assert.deepEqual(await findings(page), before);
  // Exported again after the reload: the same bytes, from the stored record.
  const again = await download(page, 'export-workspace', 'lon-2.baocao');
  assert.ok(zipPart(again.path, 'files/0').equals(bytes), 'the stored file, whole');
  assert.deepEqual(errors, []);
  await context.close();
});

test('stopping a read takes the file out and keeps what was there', async () => {
  const { page, context } = await openPage(browser, server.url);
  await chooseFiles(page, [{ name: 'nho.csv', content: 'code,period,value\nCBCC_XA,2020,4864\n' }]);
  await dropBig(page);
  // Stopped in the first frame that shows the button: the read takes a moment only.
  await page.waitForFunction(() => {
    const stop = document.querySelector('[data-testid=cancel-read]');
    stop?.click();
    return stop;
  }, null, { timeout: 10_000, polling: 'raf' });
  await waitReady(page);
  const files = await page.textContent('.files');
  assert.doesNotMatch(files, /communes\.csv/);
  assert.match(files, /nho\.csv/);
  assert.match(await page.textContent('body'), /Đã dừng đọc tệp communes\.csv/);
  // Dropped again, it is read to the end: the stopped job left nothing behind.
  await dropBig(page);
  await waitReady(page);
  assert.match(await page.textContent('.files'), /communes\.csv · [\d.]+ dòng/);
  await context.close();
});

test('two large files dropped at once: each is read and its findings are pinned to it', async () => {
  // Both reads begin at the drop, each under the id the drop gave its
  // file: each file's findings name that file.
  const { page, context, errors } = await openPage(browser, server.url);
  await dropServedFiles(page, [
    ['/baocao/__test/communes.csv', 'communes.csv'],
    ['/baocao/__test/communes-sai.csv', 'communes-sai.csv'],
  ]);
  await waitReady(page);
  const files = await page.textContent('.files');
  assert.match(files, /communes\.csv · [\d.]+ dòng/, files);
  assert.match(files, /communes-sai\.csv · [\d.]+ dòng/, files);
  const sums = (await findings(page)).filter((f) => f.rule === 'CBCC_XA_TONG');
  assert.equal(sums.length, 1, JSON.stringify(sums));
  assert.equal(sums[0].file, 'communes-sai.csv');
  const perCommune = REFERENCE_CSV.trim().split('\n').length - 1;
  assert.equal(sums[0].row, String((WRONG_ENTITY - 1) * perCommune + rowOf('CBCC_XA', '2020')));
  assert.ok(sums[0].cells.every((c) => c.file === 'communes-sai.csv'), JSON.stringify(sums[0].cells));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a large file dropped with a catalogue is read with that catalogue; the read begun before it is dropped', async () => {
  // The read that began at the drop used the catalogue of then: the file
  // is read again with the new one, and the first read is cancelled (else
  // the worker would stay, holding it).
  const { page, context, errors } = await openPage(browser, server.url);
  const spawned = readerWorker(page);
  await dropServedFiles(page, [
    ['/baocao/__test/communes.csv', 'communes.csv'],
    ['/baocao/__test/danh-muc-tinh.toml', 'danh-muc-tinh.toml'],
  ]);
  const worker = await spawned;
  const closed = new Promise((ok) => worker.once('close', ok));
  await waitReady(page);
  assert.match(await page.textContent('main'), /Đã dùng danh mục chỉ tiêu từ tệp danh-muc-tinh\.toml/);
  assert.match(await page.textContent('.files'), new RegExp(`communes\\.csv · ${rows.toLocaleString('en').replace(/,/g, '\\.')} dòng`));
  assert.equal((await findings(page)).filter((f) => f.severity === 'error').length, 0);
  // The worker that read is let go (a fresh one may stand by in its place).
  await Promise.race([closed, new Promise((_, no) => setTimeout(() => no(new Error('the worker stayed')), 10_000))]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a worker that dies mid-read: the file says why, the page is ready, the next read starts a new worker', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  await chooseFiles(page, [{ name: 'nho.csv', content: 'code,period,value\nCBCC_XA,2020,4864\n' }]);
  const spawned = readerWorker(page);
  await dropBig(page);
  const worker = await spawned;
  await page.waitForSelector('[data-testid=reading] [data-testid=read-progress]', { timeout: 10_000 });
  // What running out of memory looks like from the page: an error the
  // worker did not catch, mid-read.
  await worker.evaluate(() => { setTimeout(() => { throw new Error('hết bộ nhớ (thử)'); }, 0); });
  await waitReady(page);
  const failed = (await findings(page)).filter((f) => f.rule === 'read.failed');
  assert.equal(failed.length, 1, JSON.stringify(failed));
  assert.equal(failed[0].file, 'communes.csv');
  assert.match(failed[0].text, /tiến trình đọc tệp đã dừng/);
  assert.match(await page.textContent('.files'), /nho\.csv/, 'what was there stays');
  // The next read gets a fresh worker and goes to the end.
  const again = page.waitForEvent('worker');
  await dropBig(page);
  await again;
  await waitReady(page);
  assert.match(await page.textContent('.files'), /communes\.csv · [\d.]+ dòng/);
  assert.equal((await findings(page)).filter((f) => f.rule === 'read.failed').length, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a worker stands by once the page is idle: a drop is read by it, and a fresh one stands by after', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  const standing = await readerWorker(page);
  const closed = new Promise((ok) => standing.once('close', ok));
  let started = 0;
  page.on('worker', () => { started += 1; });
  await dropBig(page);
  await waitReady(page);
  assert.match(await page.textContent('.files'), /communes\.csv · [\d.]+ dòng/);
  assert.equal(started, 0, 'the read went to the worker standing by');
  // Having read a file, it is let go with the file's memory; a fresh one takes its place.
  await Promise.race([closed, new Promise((_, no) => setTimeout(() => no(new Error('the worker stayed')), 10_000))]);
  const fresh = await readerWorker(page);
  assert.notEqual(fresh, standing);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a worker of another build is not talked to: the read fails with a reason, nothing hangs', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  // The page's own build names its worker's loader; point it at a script
  // that answers as a worker of another build would.
  await page.evaluate(() => { document.querySelector('meta[name=baocao-reader]').content = './__test/other-build.js'; });
  await dropBig(page);
  await waitReady(page);
  const failed = (await findings(page)).filter((f) => f.rule === 'read.failed');
  assert.equal(failed.length, 1, JSON.stringify(failed));
  assert.match(failed[0].text, /bản mới/);
  assert.deepEqual(errors, []);
  await context.close();
});
