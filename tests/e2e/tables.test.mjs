// Any report, not only the sample's: a biểu dropped alone gets a report
// written from it, with its table on landscape pages when it is wide; the
// DOCX's tables hold the data, their header repeats on every page, and the
// page numbers run on across sections. A figure inserted with the picker
// shows in the preview at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveDist, launch, openPage, dropFiles, findings, download, assertValidOoxml, showTab, ROOT, OUT } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist('/baocao/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** A biểu as a ministry sends it: `units` communes, 40 columns under a
 *  two-row merged header, a column-number row and a total. */
function bieu(units) {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `bieu-${units}.xlsx`);
  execFileSync('cargo', ['run', '-q', '--example', 'generate_bieu', '--', path, String(units), '12'], { cwd: ROOT, stdio: 'ignore' });
  return { name: 'bieu-xa.xlsx', content: readFileSync(path) };
}

test('a wide biểu dropped alone: its report, its table on landscape pages, a DOCX that holds the data', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  await dropFiles(page, [bieu(120)]);
  const all = await findings(page);
  assert.deepEqual(all.filter((f) => f.rule === 'report.missing-figure'), [], 'no missing figures');
  // The preview: the table cut in three to fit, each part's rows running
  // over landscape pages that each start with the header rows.
  assert.equal(await page.locator('.pages [data-testid=report-table] .table-title').count(), 3);
  const pieces = await page.$$eval('.pages article', (els) => els.map((a) => ({
    landscape: a.classList.contains('landscape'),
    tables: a.querySelectorAll('[data-testid=report-table]').length,
    heads: a.querySelectorAll('[data-testid=report-table] thead').length,
    rows: a.querySelectorAll('[data-testid=report-table] tbody tr').length,
  })));
  const shown = pieces.filter((p) => p.landscape);
  assert.ok(shown.length >= 6, JSON.stringify(pieces));
  for (const p of shown) assert.ok(p.heads === p.tables && p.rows > 0, JSON.stringify(p));
  // Every row of the three parts is shown once: 120 communes and the total.
  assert.equal(shown.reduce((n, p) => n + p.rows, 0), 3 * 121);
  const sentence = await page.locator('.pages').innerText();
  assert.match(sentence, /Tổng số là [\d.]+ người, trong đó nam [\d.]+ người \([\d,]+%\)/);

  const { path } = await download(page, 'download-docx', 'bieu-report.docx');
  assertValidOoxml(path);
  const out = JSON.parse(execFileSync('python3', [join(ROOT, 'tests', 'e2e', 'check_tables.py'), path, OUT], { encoding: 'utf8', timeout: 600_000 }));
  // python-docx reads the cells, and they are the data: row 1 of the first
  // table is "1 | Xã 1 tỉnh 1 | 18 | 10 | 8 | …" (generate_bieu's formula).
  const [first] = out.tables.filter((t) => t.some((r) => r[1] === 'Xã 1 tỉnh 1'));
  const row = first.find((r) => r[1] === 'Xã 1 tỉnh 1');
  assert.deepEqual(row.slice(0, 5), ['1', 'Xã 1 tỉnh 1', '18', '10', '8']);
  const total = first.find((r) => r[1] === 'Tổng cộng');
  const nam = Array.from({ length: 120 }, (_, u) => 10 + (u % 17)).reduce((a, b) => a + b);
  assert.equal(total[3], nam.toLocaleString('de-DE'));
  // LibreOffice's PDF: page 1 portrait; the table's pages landscape, each
  // starting with the repeated header; page numbers 2, 3, … run on to the
  // last page, which is portrait again with the signature.
  const pages = out.pages;
  assert.equal(pages[0].landscape, false);
  const wide = pages.map((p, i) => [p, i]).filter(([p]) => p.landscape);
  assert.ok(wide.length >= 4, JSON.stringify(pages));
  for (const [p] of wide) assert.ok(p.has_table_header, `header repeated: ${JSON.stringify(p)}`);
  pages.slice(1).forEach((p, i) => assert.equal(p.first_line, String(i + 2), `page ${i + 2} numbered`));
  assert.equal(pages.at(-1).landscape, false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the figure picker puts a biểu cell at the cursor and the preview shows it', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  await dropFiles(page, [{ name: 'bieu-cbcc-huyen.xlsx', content: readFileSync(join(ROOT, 'tests', 'fixtures', 'bieu', 'bieu-cbcc-huyen.xlsx')) }]);
  await showTab(page, 'template');
  const area = page.locator('textarea.template');
  // The cursor at the very start of the body, after the front matter.
  await area.evaluate((el) => { const at = el.value.indexOf('Căn cứ'); el.focus(); el.setSelectionRange(at, at); });
  await page.click('[data-testid=insert-figure]');
  await page.fill('[data-testid=figure-search]', 'yên thế nữ');
  // Only the Nữ cells of units with a word starting "yên" ("thế" is in "theo"), in the table's order.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=figure-pick]').length === 4);
  const pick = page.locator('[data-testid=figure-pick]').first();
  assert.equal(await pick.getAttribute('data-expression'), '{{ so_bieu(1, "Huyện Yên Thế", "Chia theo giới tính › Nữ") }}');
  await page.evaluate(() => { document.body.dataset.ready = 'false'; });
  await pick.click();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const text = await area.inputValue();
  assert.ok(text.includes('\n{{ so_bieu(1, "Huyện Yên Thế", "Chia theo giới tính › Nữ") }}Căn cứ'), text.slice(0, 900));
  // The preview shows the figure, with its cell.
  const figure = page.locator('.pages .figure[data-label*="Huyện Yên Thế"]').first();
  await figure.waitFor();
  assert.equal(await figure.innerText(), '52');
  assert.match(await figure.getAttribute('data-src'), /bieu-cbcc-huyen\.xlsx/);
  // "Tạo mẫu từ số liệu" writes the starter again, and undo brings the edit back.
  await page.click('[data-testid=write-starter]');
  await page.waitForFunction(() => !document.querySelector('textarea.template').value.includes('Yên Thế'));
  await page.click('[data-testid=undo]');
  await page.waitForFunction(() => document.querySelector('textarea.template').value.includes('Yên Thế'));
  assert.deepEqual(errors, []);
  await context.close();
});
