// The user's work survives what happens to a browser: a page that dies in
// the middle of a read, a reload in the middle of one, a second tab, a
// second deployment on the same origin, and the storage of an older build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  serveDist, launch, chooseFiles, dropServedFile, findings, waitReady, records, saved, OUT, REFERENCE_CSV,
  EVERY_ROW, writeStrayCellXlsx, writeEveryRowCsv, deleteSmallestFileRecord,
  showTab, reveal, readerWorker,
} from './harness.mjs';

// The reference figures once per commune for 8,000 communes: about 40 MB.
const BIG = join(OUT, 'lon-40mb.csv');
const STRAY = join(OUT, 'o-lac-xfd-2.xlsx');
const WRONG = join(OUT, 'sai-moi-dong-2.csv');
const SMALL = { name: 'nho.csv', content: 'code,period,value\nCBCC_XA,2020,4864\n' };
let server, browser;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  const [header, ...lines] = REFERENCE_CSV.trim().split('\n');
  const out = [`${header},entity`];
  for (let e = 1; e <= 8000; e++) for (const line of lines) out.push(`${line},Xã ${e}`);
  writeFileSync(BIG, `${out.join('\n')}\n`);
  writeStrayCellXlsx(STRAY);
  writeEveryRowCsv(WRONG, true);
  // A page of the origin outside both deployments, to touch storage from.
  writeFileSync(join(OUT, 'ngoai.html'), '<!doctype html><title>ngoài</title>');
  server = await serveDist(['/baocao/', '/khac/'], {
    '/baocao/__test/lon.csv': BIG,
    '/baocao/__test/stray.xlsx': STRAY,
    '/baocao/__test/wrong.csv': WRONG,
    '/ngoai': join(OUT, 'ngoai.html'),
  });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

const newContext = () => browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
async function open(context, url = server.url) {
  const page = await context.newPage();
  await page.goto(url);
  await waitReady(page);
  return page;
}
const signerField = 'label.field:has-text("Họ tên người ký") input';
const setSigner = async (page, name) => {
  await reveal(page, signerField);
  await page.fill(signerField, name);
  await page.waitForFunction((n) => document.querySelector('[data-testid=report-preview]').textContent.includes(n), name);
};

/** Drops the 40 MB file and waits until its read is under way and the
 * workspace holding it is saved. */
async function dropBigAndSave(page) {
  await dropServedFile(page, '/baocao/__test/lon.csv', 'lon.csv');
  await page.waitForSelector('[data-testid=reading][data-file="lon.csv"]', { timeout: 10_000 });
  await saved(page, 'lon.csv');
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'false', 'still reading');
}

/** A small file, then the 40 MB one; the tab dies while reading it (as a tab
 * that runs out of memory does: no unload, no goodbye); the page is opened
 * again. */
async function crashMidRead(context, page) {
  await chooseFiles(page, [SMALL]);
  await dropBigAndSave(page);
  const cdp = await context.newCDPSession(page);
  cdp.send('Page.crash').catch(() => {});
  await page.waitForEvent('crash', { timeout: 10_000 }).catch(() => {});
  return open(context);
}

test('a page that dies mid-read comes back with that file held back; read again, it is read', async () => {
  const context = await newContext();
  let page = await open(context);
  page = await crashMidRead(context, page);
  await page.waitForSelector('[data-testid=held][data-file="lon.csv"]');
  assert.match(await page.textContent('.files'), /nho\.csv · 1 dòng/, 'the other file came back and was read');
  assert.ok((await findings(page)).some((f) => f.rule === 'read.held-back' && f.file === 'lon.csv'));
  await page.evaluate(() => { document.body.dataset.ready = 'false'; });
  await page.click('[data-testid=read-held]');
  await waitReady(page);
  assert.match(await page.textContent('.files'), /lon\.csv · [\d.]+ dòng/);
  assert.equal(await page.$('[data-testid=held]'), null);
  await context.close();
});

test('a page that dies mid-read: the held file can be removed, and the rest stays', async () => {
  const context = await newContext();
  let page = await open(context);
  page = await crashMidRead(context, page);
  await page.click('[data-testid=remove-held]');
  await page.waitForFunction(() => !document.querySelector('.files').textContent.includes('lon.csv'));
  assert.match(await page.textContent('.files'), /nho\.csv/);
  // Gone from storage too, at the next save.
  await setSigner(page, 'Sau Khi Bỏ');
  await saved(page, 'Sau Khi Bỏ');
  assert.doesNotMatch((await records(page)).edits, /lon\.csv/);
  await context.close();
});

test('a reload in the middle of a 40 MB read reads the file again (a reload is not a crash)', async () => {
  const context = await newContext();
  const page = await open(context);
  await chooseFiles(page, [SMALL]);
  await dropBigAndSave(page);
  await page.reload();
  await waitReady(page);
  assert.equal(await page.$('[data-testid=held]'), null);
  const files = await page.textContent('.files');
  assert.match(files, /lon\.csv · [\d.]+ dòng/, files);
  assert.match(files, /nho\.csv/, files);
  await context.close();
});

test('two tabs: one writes, the other says so and saves nothing until it takes over', async () => {
  const context = await newContext();
  const first = await open(context);
  await setSigner(first, 'Người Ký Thẻ Một');
  await saved(first, 'Người Ký Thẻ Một');
  assert.equal(await first.$('[data-testid=read-only]'), null);
  const second = await open(context);
  await second.waitForSelector('[data-testid=read-only]');
  assert.equal(await second.inputValue(signerField), 'Người Ký Thẻ Một', 'it shows what was saved');
  await setSigner(second, 'Người Ký Thẻ Hai');
  await second.waitForTimeout(1500);
  assert.match((await records(second)).edits, /Người Ký Thẻ Một/);
  assert.doesNotMatch((await records(second)).edits, /Người Ký Thẻ Hai/, 'the reading tab wrote nothing');
  // Taken over: the second tab reloads what the first saved and writes from now on.
  await Promise.all([second.waitForEvent('load'), second.click('[data-testid=take-over]')]);
  await waitReady(second);
  assert.equal(await second.$('[data-testid=read-only]'), null);
  await first.waitForSelector('[data-testid=read-only]');
  await setSigner(second, 'Người Ký Thẻ Hai');
  await saved(second, 'Người Ký Thẻ Hai');
  await context.close();
});

test('two deployments on one origin keep their own workspaces', async () => {
  const context = await newContext();
  const one = await open(context);
  await setSigner(one, 'Người Ký Bản Một');
  await saved(one, 'Người Ký Bản Một');
  const other = await open(context, `${server.origin}/khac/`);
  assert.notEqual(await other.inputValue(signerField), 'Người Ký Bản Một');
  assert.equal(await other.$('[data-testid=read-only]'), null, 'its own lock too');
  await setSigner(other, 'Người Ký Bản Khác');
  await saved(other, 'Người Ký Bản Khác');
  assert.match((await records(one)).edits, /Người Ký Bản Một/);
  await context.close();
});

test('the workspace an older build kept in the origin-wide database is adopted, once', async () => {
  const context = await newContext();
  const page = await open(context);
  await setSigner(page, 'Người Ký Bản Cũ');
  await saved(page, 'Người Ký Bản Cũ');
  await page.close();
  // Put it where an older build kept it, from a page outside the deployment.
  const blank = await context.newPage();
  await blank.goto(`${server.origin}/ngoai`);
  await blank.evaluate(async () => {
    const openDb = (name) => new Promise((ok, no) => {
      const r = indexedDB.open(name, 1);
      r.onupgradeneeded = () => r.result.createObjectStore('workspace');
      r.onsuccess = () => ok(r.result);
      r.onerror = no;
    });
    const scoped = await openDb('baocao:/baocao/');
    const all = await new Promise((ok) => {
      const store = scoped.transaction('workspace').objectStore('workspace');
      const keys = store.getAllKeys(), values = store.getAll();
      values.onsuccess = () => ok(keys.result.map((k, i) => [k, values.result[i]]));
    });
    scoped.close();
    const legacy = await openDb('baocao');
    const tx = legacy.transaction('workspace', 'readwrite');
    for (const [k, v] of all) tx.objectStore('workspace').put(v, k);
    await new Promise((ok) => { tx.oncomplete = ok; });
    legacy.close();
    await new Promise((ok) => { const r = indexedDB.deleteDatabase('baocao:/baocao/'); r.onsuccess = ok; r.onblocked = ok; });
  });
  await blank.close();
  const back = await open(context);
  assert.equal(await back.inputValue(signerField), 'Người Ký Bản Cũ');
  const names = await back.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  assert.ok(!names.includes('baocao'), `the old database is gone: ${names}`);
  assert.ok(names.includes('baocao:/baocao/'), `${names}`);
  await context.close();
});

test('all of it in a row, in one browser: the workspace comes through intact', async () => {
  const context = await newContext();
  let page = await open(context);
  await chooseFiles(page, [SMALL, { name: 'mat.csv', content: 'a,b\n1,2\n' }]);
  await setSigner(page, 'Người Ký Bền Bỉ');
  await saved(page, 'Người Ký Bền Bỉ');

  // 1. The worker dies mid-read: that file fails with the reason; it is removed.
  const spawned = readerWorker(page);
  await dropServedFile(page, '/baocao/__test/lon.csv', 'lon.csv');
  const worker = await spawned;
  await page.waitForSelector('[data-testid=reading][data-file="lon.csv"]', { timeout: 10_000 });
  await worker.evaluate(() => { setTimeout(() => { throw new Error('hết bộ nhớ (thử)'); }, 0); });
  await waitReady(page);
  assert.ok((await findings(page)).some((f) => f.rule === 'read.failed' && f.file === 'lon.csv'));
  await reveal(page, 'button[aria-label="Bỏ tệp lon.csv"]');
  await page.click('button[aria-label="Bỏ tệp lon.csv"]');
  await page.waitForFunction(() => !document.querySelector('.files').textContent.includes('lon.csv'));

  // 2. A save aborted at its commit: said, then saved when storage works again.
  await page.evaluate(() => {
    window.__put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
      const request = window.__put.apply(this, args);
      const tx = this.transaction;
      request.addEventListener('success', () => { try { tx.abort(); } catch { /* done */ } });
      return request;
    };
  });
  await setSigner(page, 'Người Ký Sau Lỗi Lưu');
  await page.waitForSelector('[data-testid=save-failed]', { timeout: 20_000 });
  await page.evaluate(() => { IDBObjectStore.prototype.put = window.__put; });
  await saved(page, 'Người Ký Sau Lỗi Lưu');
  // The failed saves left no stray file records: one per file.
  const kept = Object.keys((await records(page)).sizes).filter((k) => k.startsWith('file:'));
  assert.equal(kept.length, 2, JSON.stringify(kept));

  // 3. A file's record deleted before a reload: the rest comes back, it is named.
  await deleteSmallestFileRecord(page);
  await page.reload();
  await waitReady(page);
  assert.ok(await page.$('p.notice:has-text("mat.csv")'), 'the missing file is named');

  // 4. A second tab takes over; the first only reads from then on.
  const second = await open(context);
  await second.waitForSelector('[data-testid=read-only]');
  await Promise.all([second.waitForEvent('load'), second.click('[data-testid=take-over]')]);
  await waitReady(second);
  await page.waitForSelector('[data-testid=read-only]');
  await page.close();
  page = second;

  // 5. A reload in the middle of a 40 MB read: read again.
  await dropBigAndSave(page);
  await page.reload();
  await waitReady(page);
  assert.match(await page.textContent('.files'), /lon\.csv · [\d.]+ dòng/);

  // 6. The two files that once took the page down.
  await dropServedFile(page, '/baocao/__test/stray.xlsx', 'o-lac-xfd.xlsx');
  await waitReady(page);
  await dropServedFile(page, '/baocao/__test/wrong.csv', 'sai-moi-dong.csv');
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 180_000 });
  const count = await page.getAttribute('[data-rule-group=CBCC_XA_TONG]', 'data-count');
  assert.equal(Number(count), EVERY_ROW.communes * EVERY_ROW.years);
  await saved(page, 'sai-moi-dong.csv');

  // Intact: every file and the header, after one more reload.
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 180_000 });
  const files = await page.textContent('.files');
  for (const name of ['nho.csv', 'lon.csv', 'o-lac-xfd.xlsx', 'sai-moi-dong.csv']) assert.match(files, new RegExp(name.replace('.', '\\.')), files);
  assert.doesNotMatch(files, /mat\.csv/);
  assert.equal(await page.inputValue(signerField), 'Người Ký Sau Lỗi Lưu');
  assert.equal(await page.$('[data-testid=held]'), null);
  await context.close();
});
