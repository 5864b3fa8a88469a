// Nothing lost, nothing leaked: autosave and restore, export and import,
// undo and redo, the remembered language, and hostile text shown as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  serveDist, launch, chooseFiles, dropFiles, findings, download, waitReady, referenceWith, records, saved,
  deleteSmallestFileRecord,
  showTab, reveal,
} from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist('/baocao/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function fresh() {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await waitReady(page);
  return { context, page };
}

const signer = (page) => page.inputValue('label.field:has-text("Họ tên người ký") input');
const setSigner = async (page, name) => {
  await reveal(page, 'label.field:has-text("Họ tên người ký") input');
  await page.fill('label.field:has-text("Họ tên người ký") input', name);
  await page.waitForFunction((n) => document.querySelector('[data-testid=report-preview]').textContent.includes(n), name);
};

test('drop a file, edit the header, reload: the same state comes back', async () => {
  const { context, page } = await fresh();
  await chooseFiles(page, [{ name: 'sai.csv', content: referenceWith('CONG_CHUC_XA', '2020', '2641') }]);
    await setSigner(page, 'Lê Thị Lưu');
  await saved(page, 'Lê Thị Lưu');
  // The file is a record of its own, written once; the edits name it and hold no file bytes.
  const { sizes } = await records(page);
  const files = Object.keys(sizes).filter((k) => k.startsWith('file:'));
  assert.equal(files.length, 1, JSON.stringify(sizes));
  assert.equal(sizes[files[0]], Buffer.byteLength(referenceWith('CONG_CHUC_XA', '2020', '2641')));
  assert.equal(sizes.current, undefined, 'the old single record is gone');
  const before = await findings(page);
  await page.reload();
  await waitReady(page);
  assert.equal(await signer(page), 'Lê Thị Lưu');
  assert.ok((await page.textContent('.files')).includes('sai.csv'));
    assert.deepEqual(await findings(page), before);
  // Another edit after the reload rewrites the edits only: the file keeps its record.
  await setSigner(page, 'Lê Thị Mai');
  await saved(page, 'Lê Thị Mai');
  assert.deepEqual(Object.keys((await records(page)).sizes).filter((k) => k.startsWith('file:')), files);
  await context.close();
});

test('export, reset, import: the same state comes back; a damaged file is refused', async () => {
  const { context, page } = await fresh();
  await chooseFiles(page, [{ name: 'a.csv', content: referenceWith('DVSN_GIAM_HUYEN', '2016-2020', '81') }]);
  await setSigner(page, 'Phạm Văn Xuất');
  const { path } = await download(page, 'export-workspace', 'ws.baocao');
  const exported = readFileSync(path);
  const before = await findings(page);
  page.once('dialog', (d) => d.accept());
  await page.evaluate(() => { document.body.dataset.ready = 'false'; });
  await page.click('[data-testid=reset-workspace]');
  await waitReady(page);
  assert.equal(await signer(page), 'Nguyễn Quang Đông');
  // A damaged workspace file: a message, and the workspace stays as it is.
  await dropFiles(page, [{ name: 'hong.baocao', content: exported.subarray(0, exported.length - 200) }]);
  assert.equal(await signer(page), 'Nguyễn Quang Đông');
  assert.ok((await page.textContent('.files')).includes('mau-nq05'));
  await dropFiles(page, [{ name: 'ws.baocao', content: exported }]);
  assert.equal(await signer(page), 'Phạm Văn Xuất');
  assert.deepEqual(await findings(page), before);
  await context.close();
});

test('undo and redo header and template edits; the language is remembered', async () => {
  const { context, page } = await fresh();
  await setSigner(page, 'Người Thứ Nhất');
  await setSigner(page, 'Người Thứ Hai');
  await page.click('[data-testid=undo]');
  assert.equal(await signer(page), 'Người Thứ Nhất');
  await page.click('[data-testid=redo]');
  assert.equal(await signer(page), 'Người Thứ Hai');
  // A burst of typing is one undo step, not one a keystroke.
  const field = 'label.field:has-text("Họ tên người ký") input';
  await reveal(page, field);
  await page.click(field);
  await page.press(field, 'End');
  await page.type(field, ' Ba Bốn', { delay: 40 });
  await page.waitForFunction(() => document.querySelector('[data-testid=report-preview]').textContent.includes('Người Thứ Hai Ba Bốn'));
  await page.click('[data-testid=undo]');
  assert.equal(await signer(page), 'Người Thứ Hai');
  await page.click('button:has-text("English")');
  await page.waitForSelector('button:has-text("Tiếng Việt")');
  await page.reload();
  await waitReady(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.ok(await page.$('button:has-text("Tiếng Việt")'));
  await context.close();
});

test('HTML in a template or a label shows as text and runs nothing', async () => {
  const { context, page } = await fresh();
  await showTab(page, 'template');
  await page.fill('textarea.template', 'Chèn <script>window.__pwned = 1</script> và <img src=x onerror="window.__pwned = 2"> {{ "<b>đậm</b>" }}');
  await page.waitForFunction(() => document.querySelector('[data-testid=report-preview]').textContent.includes('<script>'));
  const preview = await page.textContent('[data-testid=report-preview]');
  assert.match(preview, /<img src=x onerror=/);
  assert.match(preview, /<b>đậm<\/b>/);
  assert.equal(await page.$('[data-testid=report-preview] img, [data-testid=report-preview] script, [data-testid=report-preview] b'), null);
  await setSigner(page, '<img src=y onerror="window.__pwned = 3">');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await context.close();
});

test('after the first visit the page opens and works with the network off', async () => {
  const { context, page } = await fresh();
  // The service worker has cached this build and controls the page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
  // Its cache is this deployment's: named after the path it is served under.
  const keys = await page.evaluate(() => caches.keys());
  assert.ok(keys.length === 1 && keys[0].startsWith('baocao:/baocao/:'), JSON.stringify(keys));
  await context.setOffline(true);
  await page.reload();
  await waitReady(page);
  assert.match(await page.textContent('[data-testid=report-preview]'), /tổng số biên chế là 41\.051/);
  await chooseFiles(page, [{ name: 'offline.csv', content: referenceWith('CONG_CHUC_XA', '2020', '2641') }]);
  assert.ok((await findings(page)).some((f) => f.rule === 'CBCC_XA_TONG'));
  await context.close();
});

test('no serious accessibility violations (axe-core), and the drop zone works from the keyboard', async () => {
  const axe = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
  // axe is injected by the test, so this context lets it past the page's CSP.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await waitReady(page);
  await page.addScriptTag({ content: axe });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  assert.deepEqual(result, []);
  // The file button is reachable with Tab and labelled.
  const label = await page.getAttribute('input[data-testid=file-input]', 'aria-label');
  assert.ok(label && label.length > 0);
  await page.focus('input[data-testid=file-input]');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'file-input');
  await context.close();
});

test('a catalogue dropped by the user brings a new rule, and it fires', async () => {
  const { context, page } = await fresh();
  const catalogue = `format = "baocao-catalog/1"
name = "Danh mục của huyện"

[[indicator]]
code = "DAN_SO"
name = "Dân số"
kind = "count"

[[indicator]]
code = "HO"
name = "Số hộ"
kind = "count"

[[rule]]
id = "HO_LE_DAN_SO"
kind = "at_most"
part = "HO"
whole = "DAN_SO"
message = "Số hộ không thể lớn hơn dân số"
`;
  await dropFiles(page, [{ name: 'danh-muc.toml', content: catalogue }]);
  assert.match(await page.textContent('main'), /Đã dùng danh mục chỉ tiêu từ tệp danh-muc\.toml/);
  await dropFiles(page, [{ name: 'xa.csv', content: 'Mã chỉ tiêu,Năm,Giá trị\nDAN_SO,2020,1.000\nHO,2020,1.200\n' }]);
  const fired = (await findings(page)).filter((f) => f.rule === 'HO_LE_DAN_SO');
  assert.equal(fired.length, 1);
  assert.equal(fired[0].file, 'xa.csv');
  assert.equal(fired[0].row, '3');
  assert.match(fired[0].text, /1\.200 > 1\.000/);
  // A broken catalogue is refused; the one in use stays.
  await dropFiles(page, [{ name: 'hong.toml', content: 'format = "baocao-catalog/1"\n[[rule]]\nid = "X"\nkind = "sum"\ntotal = "KHONG_CO"\nparts = []\n' }]);
  assert.match(await page.textContent('main'), /Danh mục hong\.toml không dùng được/);
  assert.equal((await findings(page)).filter((f) => f.rule === 'HO_LE_DAN_SO').length, 1);
  await context.close();
});

test('a save that fails at its commit is said, not counted as done, and tried again', async () => {
  const { context, page } = await fresh();
  // Every save's requests succeed, then its transaction is aborted before it
  // commits (as a quota error at commit would).
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    window.__put = put;
    IDBObjectStore.prototype.put = function (...args) {
      const request = put.apply(this, args);
      const tx = this.transaction;
      request.addEventListener('success', () => { try { tx.abort(); } catch { /* already done */ } });
      return request;
    };
  });
  await setSigner(page, 'Người ký thử lưu');
  await page.waitForSelector('[data-testid=save-failed]:has-text("Không lưu được vào trình duyệt")', { timeout: 20_000 });
  assert.doesNotMatch((await records(page)).edits, /Người ký thử lưu/);
  // Storage works again (space was freed): the page's own retry saves it.
  await page.evaluate(() => { IDBObjectStore.prototype.put = window.__put; });
  await saved(page, 'Người ký thử lưu');
  await page.waitForSelector('[data-testid=save-failed]', { state: 'detached', timeout: 10_000 });
  await context.close();
});

test('a file record gone from storage: the rest comes back, the missing file is named', async () => {
  const { context, page } = await fresh();
  await chooseFiles(page, [
    { name: 'giu.csv', content: referenceWith('CONG_CHUC_XA', '2020', '2641') },
    { name: 'mat.csv', content: 'Mã chỉ tiêu,Kỳ,Giá trị\nCBCC_HUYEN,2020,1957\n' },
  ]);
  await setSigner(page, 'Người Ký Giữ Lại');
  await saved(page, 'Người Ký Giữ Lại');
  // Delete the record of mat.csv (the smaller of the two files' records).
  await deleteSmallestFileRecord(page);
  await page.reload();
  await waitReady(page);
  const files = await page.textContent('.files');
  assert.ok(files.includes('giu.csv') && !files.includes('mat.csv'), files);
  assert.equal(await signer(page), 'Người Ký Giữ Lại');
  assert.ok(await page.$('p.notice:has-text("mat.csv")'), 'the missing file is named');
  assert.ok((await findings(page)).some((f) => f.rule === 'CBCC_XA_TONG'), 'the kept file is checked');
  await context.close();
});

test('a workspace that cannot be restored is kept, not overwritten', async () => {
  const { context, page } = await fresh();
  await setSigner(page, 'Bản Cũ');
  await saved(page, 'Bản Cũ');
  // Damage the edits record.
  await page.evaluate(async () => {
    const db = await new Promise((ok, no) => { const r = indexedDB.open('baocao:' + new URL('.', location.href).pathname, 1); r.onsuccess = () => ok(r.result); r.onerror = no; });
    await new Promise((ok) => { const r = db.transaction('workspace', 'readwrite').objectStore('workspace').put(new Blob(['PK hỏng']), 'edits'); r.onsuccess = ok; });
    db.close();
  });
  await page.reload();
  await waitReady(page);
  assert.ok(await page.$('p.notice:has-text("sao lưu")'), 'the failure is said');
  // The page saves its own state, and the damaged record is kept aside.
  await setSigner(page, 'Bản Mới');
  await saved(page, 'Bản Mới');
  const { sizes } = await records(page);
  assert.equal(sizes['backup:edits'], new Blob(['PK hỏng']).size, JSON.stringify(sizes));
  // Kept until the user decides, across reloads: download it, then delete it.
  await page.reload();
  await waitReady(page);
  await page.waitForSelector('[data-testid=backup]');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-backup]')]);
  assert.equal(dl.suggestedFilename(), 'ban-sao-luu.baocao');
  assert.equal(readFileSync(await dl.path(), 'utf8'), 'PK hỏng');
  await page.click('[data-testid=delete-backup]');
  await page.waitForSelector('[data-testid=backup]', { state: 'detached' });
  assert.equal((await records(page)).sizes['backup:edits'], undefined);
  assert.equal(await page.inputValue('label.field:has-text("Họ tên người ký") input'), 'Bản Mới');
  await context.close();
});
