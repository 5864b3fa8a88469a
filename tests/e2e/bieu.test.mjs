// Biểu tables as an office sends them, dropped on the page: read in the
// reader worker (XLSX and XLS alike), their own arithmetic checked, each
// broken figure pinned to its row and shown in its sheet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveDist, launch, openPage, dropFiles, findings, waitReady, ROOT, OUT } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist('/baocao/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const fixture = (name) => ({ name, content: readFileSync(join(ROOT, 'tests', 'fixtures', 'bieu', name)) });

test('a biểu with a broken total and a broken split: each found at its row', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  const name = 'bieu-broken-total-and-split.xlsx';
  await dropFiles(page, [fixture(name)]);
  const all = await findings(page);
  const wrong = all.filter((f) => f.severity === 'error').map((f) => [f.rule, f.file, f.row]).sort();
  assert.deepEqual(wrong, [['bieu.split', name, '14'], ['bieu.total', name, '20']], JSON.stringify(all));
  // The split names the unit and shows its arithmetic.
  const split = all.find((f) => f.rule === 'bieu.split');
  assert.match(split.text, /Huyện Lục Nam/);
  assert.match(split.text, /Chia theo giới tính/);
  // The period came from the title, and the page says so.
  assert.ok(all.some((f) => f.rule === 'bieu.period' && /NĂM 2020/.test(f.text)), 'period and its source');
  // Opening the total shows the sheet around it, the total's cell marked.
  await page.click('[data-testid=finding][data-rule="bieu.total"] [data-testid=open-source]');
  await page.waitForSelector('[data-testid=source-view] td[data-hit]');
  const hits = await page.$$eval('[data-testid=source-view] td[data-hit]', (els) => els.map((e) => e.textContent));
  assert.ok(hits.length >= 2, JSON.stringify(hits));
  assert.deepEqual(errors, []);
  await context.close();
});

test('an .xls biểu (Excel 97–2003) is read like an .xlsx one', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  await dropFiles(page, [fixture('bieu-broken-formula.xls')]);
  const wrong = (await findings(page)).filter((f) => f.severity === 'error');
  assert.deepEqual(wrong.map((f) => [f.rule, f.row]), [['bieu.formula', '18']]);
  assert.match(wrong[0].text, /Huyện Yên Dũng/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a column mapped by hand joins the catalogue, survives a reload, and maps the next file with the same header', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  await dropFiles(page, [fixture('bieu-cbcc-huyen.xlsx')]);
  const first = '[data-testid=mapping-column][data-header="Tổng số cán bộ, công chức"]';
  await page.waitForSelector(first);
  // The panel shows the header as read, one row per column.
  const headers = await page.$$eval('[data-testid=mapping-column]', (els) => els.map((e) => e.dataset.header));
  assert.ok(headers.includes('Chia theo giới tính › Nữ'), JSON.stringify(headers));
  // Typing the code (a user could type the name) maps the column.
  await page.evaluate(() => { document.body.dataset.ready = 'false'; });
  await page.fill(`${first} [data-testid=mapping-input]`, 'CBCC_HUYEN');
  await page.dispatchEvent(`${first} [data-testid=mapping-input]`, 'change');
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.waitForSelector(`${first}[data-mapped=true][data-code=CBCC_HUYEN]`);
  // The total is now the agency's CBCC_HUYEN; the report cites it.
  // Kept across a reload.
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.waitForSelector(`${first}[data-mapped=true][data-code=CBCC_HUYEN]`);
  // The same table as .xls, dropped next, takes the mapping.
  await dropFiles(page, [fixture('bieu-cbcc-huyen.xls')]);
  const xls = `[data-file="bieu-cbcc-huyen.xls"] ${first}`;
  await page.waitForSelector(`${xls}[data-mapped=true][data-code=CBCC_HUYEN]`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a table the page does not understand asks for its unit column, and is read once told, across a reload', async () => {
  // Units written as codes: nothing tells the page which column names them.
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, 'ma-don-vi.xlsx');
  execFileSync('python3', ['-c', `
import sys, openpyxl
b = openpyxl.Workbook(); s = b.active
s.append(["SỐ LIỆU NĂM 2020"]); s.append([])
s.append(["Mã đơn vị", "Nam", "Nữ", "Tổng số"])
for code, nam, nu in [(101, 5, 4), (102, 7, 3), (103, 6, 6)]:
    s.append([code, nam, nu, nam + nu])
b.save(sys.argv[1])`, path]);
  const { page, context, errors } = await openPage(browser, server.url);
  await dropFiles(page, [{ name: 'ma-don-vi.xlsx', content: readFileSync(path) }]);
  const panel = page.locator('[data-testid=column-mapping] .not-understood');
  await panel.waitFor();
  const headers = await panel.locator('[data-testid=mapping-column]').evaluateAll((els) => els.map((e) => e.dataset.header));
  assert.deepEqual(headers, ['Mã đơn vị', 'Nam', 'Nữ', 'Tổng số']);
  await page.evaluate(() => { document.body.dataset.ready = 'false'; });
  await panel.locator('[data-testid=mapping-column][data-header="Mã đơn vị"] [data-testid=unit-column-choice]').click();
  await waitReady(page);
  // Read as a biểu now: its columns can be mapped, its units are in the report.
  await page.waitForSelector('[data-testid=column-mapping] .mapping-table:not(.not-understood) [data-testid=mapping-column][data-header="Nữ"]');
  assert.equal(await page.locator('.not-understood').count(), 0);
  // The report written from it names its units (it may be laid out a frame after ready).
  await page.waitForFunction(() => /102/.test(document.querySelector('.pages')?.innerText ?? ''));
  // The choice is kept: after a reload the table is read the same way.
  await page.reload();
  await waitReady(page);
  await page.waitForSelector('[data-testid=column-mapping] [data-testid=mapping-column][data-header="Nữ"]');
  assert.equal(await page.locator('.not-understood').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
