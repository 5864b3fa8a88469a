// The page end to end, as a user meets it: the sample on opening, a dropped
// file that replaces it, the findings pinned to file and row, the DOCX.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  serveDist, launch, openPage, chooseFiles, dropFiles, findings, download, referenceWith, rowOf, waitReady, OUT, ROOT,
  assertValidOoxml,
  showTab, reveal,
} from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist('/baocao/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('the page opens with the sample report and asks nothing of other origins', async () => {
  const { page, context, requests, errors } = await openPage(browser, server.url);
  const preview = await page.textContent('[data-testid=report-preview]');
  assert.match(preview, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
  assert.match(preview, /toàn tỉnh có 1\.957 cán bộ/);
  assert.match(preview, /tổng số biên chế là 41\.051/);
  assert.equal((await findings(page)).filter((f) => f.severity === 'error').length, 0);
  const figures = await page.$$eval('[data-testid=report-preview] [data-src]', (els) => els.map((e) => JSON.parse(e.dataset.src)));
  assert.ok(figures.length > 60, `only ${figures.length} figures carry data-src`);
    assert.ok(figures.every((cells) => cells.length > 0 && cells[0].row >= 2));
  // At least eight charts, each with an accessible name, an SVG image and a
  // table fallback, made when its details are opened.
  await showTab(page, 'charts');
  await page.$$eval('[data-testid=chart] details', (ds) => ds.forEach((d) => { d.open = true; }));
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=chart]')].every((c) => c.querySelector('table td')));
  const charts = await page.$$eval('[data-testid=chart]', (els) => els.map((e) => ({
    name: e.getAttribute('aria-label'), img: e.querySelector('svg[role=img]')?.getAttribute('aria-label'),
    table: e.querySelectorAll('table td').length, id: e.dataset.chart,
  })));
  assert.ok(charts.length >= 8, `only ${charts.length} charts`);
  assert.ok(charts.every((c) => c.name && c.img && c.table > 0), JSON.stringify(charts));
  assert.ok(charts.some((c) => c.id === 'rank-PAR_INDEX_HANG'));
  // The report's appendix draws its charts too.
  assert.ok((await page.$$('[data-testid=report-preview] .report-chart svg')).length >= 3);
  const origin = new URL(server.url).origin;
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a dropped CSV with a wrong part replaces the sample and is pinned to file and row', async () => {
  const { page, context } = await openPage(browser, server.url);
  const name = 'so-lieu-sai.csv';
  await chooseFiles(page, [{ name, content: referenceWith('CONG_CHUC_XA', '2020', '2641') }]);
  const all = await findings(page);
  const sum = all.filter((f) => f.rule === 'CBCC_XA_TONG');
  assert.equal(sum.length, 1, JSON.stringify(all));
  assert.equal(sum[0].severity, 'error');
  assert.equal(sum[0].file, name);
  assert.equal(sum[0].row, String(rowOf('CBCC_XA', '2020')));
  assert.ok(sum[0].cells.some((c) => c.file === name && c.row === rowOf('CONG_CHUC_XA', '2020') && c.column === 'F'));
    assert.match(sum[0].text, /4\.864 ≠ 2\.259 \+ 2\.641 = 4\.900/);
  // Opening it shows the rows around the total, with the total and both parts highlighted.
  await page.click('[data-testid=finding][data-rule=CBCC_XA_TONG] [data-testid=open-source]');
  const hits = await page.$$eval('[data-testid=source-view] td[data-hit]', (els) => els.map((e) => e.textContent));
  assert.deepEqual(hits.sort(), ['2259', '2641', '4864']);
  // The sample is gone: only the dropped file is listed.
  const files = await page.textContent('.files');
  assert.ok(files.includes(name) && !files.includes('mau-nq05'));
  // The figure with the failed check is marked in the preview.
    assert.ok(await page.$('[data-testid=report-preview] .figure.failed'));
    // … and on its chart: both parts of the failed sum are marked.
  assert.equal(await page.getAttribute('[data-testid=chart][data-chart=stack-CBCC_XA]', 'data-failed'), '2');
  // Clicking it says where it came from and which check failed.
  await page.click('[data-testid=report-preview] .figure.failed[data-label="CONG_CHUC_XA 2020"]');
  const details = await page.textContent('.figure-details');
  assert.match(details, new RegExp(`${name} · dòng ${rowOf('CONG_CHUC_XA', '2020')} · cột F`));
  assert.equal(await page.getAttribute('.figure-details [data-rule=CBCC_XA_TONG]', 'data-passed'), 'false');
  // The panel opens in view, beside the figure, with the focus, named by the
  // indicator's name (the code in small print); Esc closes it.
  const panel = page.locator('[data-testid=figure-panel]');
  const box = await panel.boundingBox();
  const view = page.viewportSize();
  assert.ok(box && box.y >= 0 && box.y + 40 < view.height && box.x + box.width <= view.width, JSON.stringify(box));
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'figure-panel');
  assert.match(await panel.locator('.what').innerText(), /Công chức cấp xã.*\(CONG_CHUC_XA\)/i);
  await page.keyboard.press('Escape');
  assert.equal(await panel.count(), 0);

  // The report has an error: the download asks first, listing it.
  await page.click('[data-testid=download-docx]');
  const warning = page.locator('[role=alertdialog][data-testid=download-warning]');
  await warning.waitFor();
  assert.match(await warning.innerText(), /Báo cáo còn 1 lỗi, 0 số liệu thiếu/);
  assert.match(await warning.innerText(), /4\.864 ≠ 2\.259 \+ 2\.641/);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'download-cancel');
  await page.keyboard.press('Escape');
  assert.equal(await warning.count(), 0);
  await page.click('[data-testid=download-docx]');
  const { path, suggested } = await download(page, 'download-anyway', 'report.docx');
  // Named from the agency, the kind of document and the date.
  assert.match(suggested, /^bao-cao_[a-z0-9-]+_\d{4}(-\d{2}){0,2}\.docx$/, suggested);
  assertValidOoxml(path);
  const report = JSON.parse(execFileSync('python3', [join(ROOT, 'tests', 'e2e', 'check_docx.py'), path], { encoding: 'utf8' }));
  assert.ok(report.text.includes('41.051'), 'the DOCX holds 41.051');
  assert.ok(report.text.includes('2.641'), 'the DOCX holds the dropped figure');
  // The figure that failed its check is marked, with a Word comment that says why.
  const flagged = report.comments.find((c) => c.on === '4.864');
  assert.ok(flagged, JSON.stringify(report.comments));
  assert.match(flagged.says, /không qua kiểm tra: .*4\.864 ≠ 2\.259 \+ 2\.641/);
    assert.equal(report.footnotes, 8);
  assert.ok(report.images >= 3, `${report.images} chart images`);
  assert.ok(report.image_dpi_min >= 200, `charts at ${report.image_dpi_min} dpi`);
  assert.deepEqual(report.margins_mm, { top: 20, bottom: 20, left: 30, right: 15 });
  assert.equal(report.page_mm.join('x'), '210x297');
  assert.deepEqual(report.fonts, ['Times New Roman']);
  assert.equal(report.body_pt, 14);
  assert.deepEqual(report.sizes_pt, { agency: 12, nation: 12, motto: 13, title: 14, recipients_title: 12 });
  assert.deepEqual(report.bold, { agency: true, motto: true, parent: false });
  assert.ok(report.page_field, 'a PAGE field in the header');
  assert.ok(report.different_first_page && report.first_page_header_empty, 'no number on page 1');
  assert.equal(report.header_table.rows, 2);
  assert.equal(report.header_table.cols, 2);
  assert.match(report.header_table.cells[0][1], /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
  assert.match(report.header_table.cells[1][0], /^Số: /);
  assert.equal(report.header_table.borders, '');

  execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', OUT, path], { stdio: 'pipe', timeout: 120_000 });
  const pdf = join(OUT, 'report.pdf');
  assert.ok(existsSync(pdf), 'LibreOffice converted the DOCX');
  const pdfText = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  assert.match(pdfText, /41\.051/);
  assert.match(pdfText, /BÁO CÁO/);
  await context.close();
});

test('bad input gets a message, never a crash, and nothing already dropped is lost', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  await dropFiles(page, [{ name: 'tot.csv', content: 'Mã chỉ tiêu,Năm,Giá trị\nCBCC_XA,2020,4.864\n' }]);
  const junk = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256));
  await dropFiles(page, [
    { name: 'rong.csv', content: '' },
    { name: 'rac.xlsx', content: junk },
    { name: 'so-sai.csv', content: 'code,period,value\nCBCC_XA,2020,1.2.3\n' },
    { name: 'html.csv', content: 'code,period,value\n<img src=x onerror=alert(1)>,2020,5\n' },
  ]);
  const all = await findings(page);
  const rules = (file) => all.filter((f) => f.file === file).map((f) => f.rule);
  assert.deepEqual(rules('rong.csv'), ['read.empty-file']);
  assert.ok(['read.binary', 'read.unsupported'].includes(rules('rac.xlsx')[0]), JSON.stringify(rules('rac.xlsx')));
  const bad = all.find((f) => f.file === 'so-sai.csv');
  assert.equal(bad.rule, 'read.unreadable-value');
  assert.equal(bad.row, '2');
  assert.match(bad.text, /1\.2\.3/);
  // The label shows as text; no element was made from it.
  assert.ok(all.some((f) => f.file === 'html.csv' && f.text.includes('<img src=x onerror=alert(1)>')));
  assert.equal(await page.$('img[src=x]'), null);
  // The earlier file is still there.
  assert.ok((await page.textContent('.files')).includes('tot.csv'));
  assert.equal(await page.getAttribute('#fatal', 'data-visible'), 'false');
  assert.deepEqual(errors, []);
  await context.close();
});

test("entities' names in charts stay text: a chart's SVG is written escaped", async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  const names = ['Xã <img src=x onerror="window.__pwned=1">', 'Xã A & B </svg><script>window.__pwned=2</script>', "Xã 'C' \"D\""];
  const rows = names.flatMap((n, i) => ['2019', '2020'].map((y) => `PAR_INDEX_HANG,"${n.replaceAll('"', '""')}",${y},${10 + i}`));
  await dropFiles(page, [{ name: 'ten-la.csv', content: `Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\n${rows.join('\n')}\n` }]);
  const labels = await page.$$eval('[data-testid=chart] svg text', (ts) => ts.map((t) => t.textContent));
  for (const name of names) assert.ok(labels.some((l) => l.includes(name.slice(0, 12))), `${name} in ${JSON.stringify(labels)}`);
  assert.equal(await page.$('img[src=x]'), null);
  assert.equal(await page.$('svg script'), null);
  // A chart's table of figures is made when it is opened.
  const card = page.locator('[data-testid=chart]').first();
  assert.equal(await card.locator('.chart-table').count(), 0);
  await showTab(page, 'charts');
  await card.locator('summary').click();
  await card.locator('.chart-table td').first().waitFor();
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a file dragged over the page shows where it goes, and a drop on the preview is taken', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  const transfer = await page.evaluateHandle(() => { const dt = new DataTransfer(); dt.items.add(new File(['x'], 'x.csv')); return dt; });
  await page.dispatchEvent('.pages', 'dragover', { dataTransfer: transfer });
  await page.waitForSelector('[data-testid=drop-overlay]');
  await dropFiles(page, [{ name: 'tha-len-ban-xem.csv', content: referenceWith('CBCC_XA', '2020', '4900') }], '.pages');
  assert.equal(await page.locator('[data-testid=drop-overlay]').count(), 0);
  assert.ok((await page.textContent('.files')).includes('tha-len-ban-xem.csv'));
  assert.ok((await findings(page)).some((f) => f.rule === 'CBCC_XA_TONG' && f.file === 'tha-len-ban-xem.csv'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the report downloads as escaped standalone HTML', async () => {
  const { page, context } = await openPage(browser, server.url);
  const { path } = await download(page, 'download-html', 'report.html');
  const html = readFileSync(path, 'utf8');
  assert.match(html, /tổng số biên chế là 41\.051/);
  assert.match(html, /Content-Security-Policy/);
  await context.close();
});

test('edits show in the preview at once; a broken template names its line and keeps the page', async () => {
  const { page, context } = await openPage(browser, server.url);
  await showTab(page, 'details');
  await page.fill('label.field:has-text("Họ tên người ký") input', 'Trần Văn Thử');
  await page.waitForFunction(() => document.querySelector('[data-testid=report-preview]').textContent.includes('Trần Văn Thử'));
  await showTab(page, 'template');
  const template = await page.inputValue('textarea.template');
  const broken = template.replace('{{ so("VIEN_CHUC", 2020) }}', '{{ so("VIEN_CHUC", 2020) ');
  const line = template.split('\n').findIndex((l) => l.includes('{{ so("VIEN_CHUC", 2020) }}')) + 1;
  await page.fill('textarea.template', broken);
  await page.waitForSelector('.template-error');
  assert.match(await page.textContent('.template-error'), new RegExp(`dòng ${line}`));
  // Beside the editor too, in Vietnamese, quoting the line; the line numbers mark it.
  const beside = await page.textContent('.editor [data-testid=template-error]');
  assert.match(beside, new RegExp(`dòng ${line}: sai cú pháp`));
  assert.ok(beside.includes('{{ so("VIEN_CHUC", 2020) '), beside);
  assert.ok((await page.textContent('.editor .gutter')).includes(`▶${line}`));
  // The last good report is still shown.
  assert.match(await page.textContent('[data-testid=report-preview]'), /số viên chức có mặt là 33\.928 người/);
  // A clean figure lists the checks it passed.
  await page.click('[data-testid=report-preview] .figure[data-label="CB_CHUYEN_TRACH_XA 2020"]');
  assert.equal(await page.getAttribute('.figure-details [data-rule=CBCC_XA_TONG]', 'data-passed'), 'true');
  await context.close();
});

test('XLSX, ODS, UTF-16 and TCVN3 files read in the page; the encoding can be changed; a zip bomb is refused', async () => {
  const fixture = (name) => readFileSync(join(ROOT, 'tests', 'fixtures', 'read', name));
  const { page, context } = await openPage(browser, server.url);
  await dropFiles(page, [
    { name: 'bieu-mau.xlsx', content: fixture('wide-two-sheets.xlsx') },
    { name: 'unicode.txt', content: fixture('long-utf16le-tab.txt') },
    { name: 'cu.csv', content: fixture('long-tcvn3.csv') },
    { name: 'bang.ods', content: fixture('long.ods') },
  ]);
  const all = await findings(page);
  assert.deepEqual(all.filter((f) => f.severity === 'error'), []);
  const files = await page.textContent('.files');
  for (const name of ['bieu-mau.xlsx', 'unicode.txt', 'cu.csv', 'bang.ods']) assert.ok(files.includes(name), name);
  assert.match(await page.textContent('[data-testid=report-preview]'), /tổng số biên chế là 41\.051/);
  // The encoding chosen for each text file is shown, and can be changed.
  const encodings = await page.$$eval('[data-testid=encoding]', (els) => els.map((e) => e.selectedOptions[0].textContent));
  assert.ok(encodings.some((e) => e.includes('UTF-16LE')), encodings.join());
  assert.ok(encodings.some((e) => e.includes('TCVN3')), encodings.join());
  const tcvn3 = page.locator('li', { hasText: 'cu.csv' }).locator('[data-testid=encoding]');
  await page.evaluate(() => { document.body.dataset.ready = 'false'; });
  await tcvn3.selectOption('Windows-1258');
  await waitReady(page);
  const misread = (await findings(page)).filter((f) => f.file === 'cu.csv');
  assert.ok(misread.length > 0, 'read as Windows-1258 the TCVN3 file is garbage');
  await tcvn3.selectOption('TCVN3 (ABC)');
  await waitReady(page);
  assert.deepEqual((await findings(page)).filter((f) => f.file === 'cu.csv'), []);
  // A finding in a spreadsheet names its sheet.
  await dropFiles(page, [{ name: 'bomb.xlsx', content: readFileSync(join(ROOT, 'tests', 'fixtures', 'bad', 'bomb.xlsx')) }]);
  const bomb = (await findings(page)).find((f) => f.file === 'bomb.xlsx');
  assert.equal(bomb.rule, 'read.refused');
    assert.ok((await page.textContent('.files')).includes('bieu-mau.xlsx'), 'the workspace survives');
  // A spreadsheet's rows around a finding come from the worker (the page has no XLSX reader).
  await dropFiles(page, [{ name: 'sua.csv', content: 'code,period,value\nPCI_HANG,2017,31\n' }]);
  await page.click('[data-testid=finding][data-rule=conflict] [data-testid=open-source]');
  await page.waitForSelector('[data-testid=source-view] td[data-hit]');
  const view = await page.textContent('[data-testid=source-view]');
  assert.match(view, /bieu-mau\.xlsx · Chỉ số/);
  assert.deepEqual(await page.$$eval('[data-testid=source-view] td[data-hit]', (els) => els.map((e) => e.textContent)), ['30']);
  // Both sides of the conflict: each file, row and value, and each file's own view.
  const conflict = (await findings(page)).find((f) => f.rule === 'conflict');
  assert.match(conflict.text, /giá trị khác nhau — bieu-mau\.xlsx dòng \d+: 30; .*sua\.csv dòng 2: 31/);
  await page.click('[data-testid=finding][data-rule=conflict] [data-testid=open-source][data-file="sua.csv"]');
  await page.waitForFunction(() => document.querySelector('[data-testid=source-view]')?.textContent.includes('sua.csv'));
  assert.deepEqual(await page.$$eval('[data-testid=source-view] td[data-hit]', (els) => els.map((e) => e.textContent)), ['31']);
  await context.close();
});

test('a systematic error is grouped and paginated; findings filter by file and rule', async () => {
  const { page, context } = await openPage(browser, server.url);
  const rows = Array.from({ length: 3000 }, (_, i) => `CBCC_XA,${2000 + (i % 20)},1.2.${i}`).join('\n');
  await dropFiles(page, [
    { name: 'loi-he-thong.csv', content: `code,period,value\n${rows}\n` },
    { name: 'khac.csv', content: 'code,period,value\nKHONG_CO,2020,1\n' },
  ]);
  assert.match(await page.textContent('.findings'), /Lỗi: 3000/);
  // Errors first, then warnings, then notes.
  const order = ['error', 'warning', 'info'];
  const severities = (await findings(page)).map((f) => order.indexOf(f.severity));
  assert.deepEqual(severities, [...severities].sort((a, b) => a - b), 'sorted by severity');
  assert.equal((await page.$$('[data-rule-group="read.unreadable-value"] [data-testid=finding]')).length, 20);
  await page.click('[data-rule-group="read.unreadable-value"] button:has-text("Xem thêm")');
  assert.equal((await page.$$('[data-rule-group="read.unreadable-value"] [data-testid=finding]')).length, 120);
  await page.selectOption('.filters label:has-text("Tệp") select', 'khac.csv');
  const only = await findings(page);
  assert.ok(only.length > 0 && only.every((f) => f.file === 'khac.csv'), JSON.stringify(only));
  await page.selectOption('.filters label:has-text("Tệp") select', '');
  await page.selectOption('.filters label:has-text("Quy tắc") select', 'read.unknown-indicator');
  assert.deepEqual([...new Set((await findings(page)).map((f) => f.rule))], ['read.unknown-indicator']);
  await context.close();
});

test('reset brings the sample back; findings download as formula-safe CSV', async () => {
  const { page, context } = await openPage(browser, server.url);
  await chooseFiles(page, [{ name: 'x.csv', content: 'code,period,value\n=cmd|calc,2020,1\n' }]);
  const { path } = await download(page, 'download-findings', 'findings.csv');
  const csv = readFileSync(path, 'utf8');
  assert.ok(csv.includes("'=cmd|calc"), csv);
  page.once('dialog', (d) => d.accept());
  await page.evaluate(() => { document.body.dataset.ready = 'false'; });
  await page.click('[data-testid=reset-workspace]');
  await waitReady(page);
  assert.ok((await page.textContent('.files')).includes('mau-nq05-bac-giang.csv'));
  await context.close();
});

const xlsx = (...args) => execFileSync('python3', [join(ROOT, 'tests', 'e2e', 'xlsx.py'), ...args], { encoding: 'utf8' });

test('the XLSX input template, filled in and dropped back, gives the report with no error', async () => {
  const { page, context } = await openPage(browser, server.url);
  const tpl = await download(page, 'download-template', 'template.xlsx');
  assert.equal(tpl.suggested, 'mau-nhap-so-lieu.xlsx');
  assertValidOoxml(tpl.path);
  const rows = JSON.parse(xlsx('rows', tpl.path, 'Số liệu'));
  assert.deepEqual(rows[0], ['Mã chỉ tiêu', 'Tên chỉ tiêu', 'Đơn vị tính', 'Kỳ', 'Giá trị']);
  assert.ok(rows.some((r) => r[0] === 'CBCC_XA' && r[4] === null), 'blank value cells');
  const filledPath = join(OUT, 'template-filled.xlsx');
  const filled = Number(xlsx('fill', tpl.path, join(ROOT, 'assets', 'sample-nq05-bac-giang.csv'), filledPath));
  assert.ok(filled > 40, `filled ${filled}`);
  await dropFiles(page, [{ name: 'mau-nhap-so-lieu.xlsx', content: readFileSync(filledPath) }]);
  assert.equal((await findings(page)).filter((f) => f.severity === 'error').length, 0);
  assert.match(await page.textContent('[data-testid=report-preview]'), /toàn tỉnh có 1\.957 cán bộ/);
  // The findings as a workbook: the same rows as the panel's list, cell text kept as text.
  await chooseFiles(page, [{ name: 'x.csv', content: 'code,period,value\n=cmd|calc,2020,1\nCBCC_XA,2020,abc\n' }]);
  const book = await download(page, 'download-findings-xlsx', 'findings.xlsx');
  assertValidOoxml(book.path);
  const problems = JSON.parse(xlsx('rows', book.path, 'Vấn đề'));
  assert.equal(problems[0][0], 'Mức độ');
  assert.ok(problems.some((r) => r[0] === 'Lỗi' && r[1].endsWith('(read.unreadable-value)') && !r[1].startsWith('read.') && r[4] === 3 && r[6] === 'abc'), JSON.stringify(problems));
  assert.ok(problems.some((r) => r.includes('=cmd|calc')), 'formula-like text kept as text');
  await context.close();
});
