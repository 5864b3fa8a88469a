// Downloads are of the state the page shows: none while a file is read or
// checked, and none while the template has an error (the report would be
// the previous state's).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist('/baocao/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const DOWNLOADS = ['download-docx', 'download-html', 'download-findings', 'download-findings-xlsx', 'download-template', 'export-workspace'];
/** Sets the template's text as one edit (the whole text, one input event). */
const setTemplate = (page, text) => page.evaluate((text) => {
  const box = document.querySelector('textarea.template');
  box.value = text;
  box.dispatchEvent(new Event('input', { bubbles: true }));
}, text);
const disabled = (page) => page.evaluate((ids) => ids.map((id) => document.querySelector(`[data-testid=${id}]`).disabled), DOWNLOADS);

test('a template error disables every download until it is mended', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  assert.deepEqual(await disabled(page), DOWNLOADS.map(() => false));
  const original = await page.inputValue('textarea.template');
  await setTemplate(page, `${original}\n\n{{ so("CBCC_XA", }}`);
  await page.waitForSelector('.preview-wrap .template-error');
  assert.deepEqual(await disabled(page), DOWNLOADS.map(() => true));
  await setTemplate(page, original);
  await page.waitForFunction(() => !document.querySelector('.template-error'));
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  assert.deepEqual(await disabled(page), DOWNLOADS.map(() => false));
  assert.deepEqual(errors, []);
  await context.close();
});

test('while a large file is read, nothing can be downloaded', async () => {
  const { page, context } = await openPage(browser, server.url);
  // 2 MB of rows: read in the worker, with the page waiting for it.
  const rows = Array.from({ length: 60_000 }, (_, i) => `CBCC_XA,Xã ${i},2020,${i}`).join('\n');
  const content = `Mã chỉ tiêu,Đơn vị báo cáo,Kỳ,Giá trị\n${rows}\n`;
  await page.evaluate((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], 'lon.csv', { type: 'text/csv' }));
    document.querySelector('[data-testid=dropzone]').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, content);
  // While the read is under way (its progress shown), every download is off.
  await page.waitForSelector('[data-testid=reading]');
  const during = await disabled(page);
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'false');
  assert.ok(during.every(Boolean), JSON.stringify(during));
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
  assert.deepEqual(await disabled(page), DOWNLOADS.map(() => false));
  await context.close();
});
