// Shared set-up for the end-to-end tests: a static server for dist/ on
// 127.0.0.1, Debian's Chromium driven by playwright-core, and helpers that act
// the way a user does (choose files, drop files, click, download).
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFile, mkdir } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = process.env.DIST ?? join(ROOT, 'dist');
export const OUT = join(ROOT, 'tests', 'e2e', 'out');
export const REFERENCE_CSV = await readFile(join(ROOT, 'assets', 'sample-nq05-bac-giang.csv'), 'utf8');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml',
};

/** Serves dist/ under `prefix` (e.g. "/baocao/"; or several, as two
 * deployments on one origin) on a free loopback port; `extra` maps more
 * paths to files on disk (the benchmarks' big file). */
export async function serveDist(prefixes = '/', extra = {}) {
  const all = [prefixes].flat();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (extra[path]) { res.writeHead(200).end(await readFile(extra[path])); return; }
    const prefix = all.find((p) => path.startsWith(p));
    if (!prefix) { res.writeHead(404).end(); return; }
    let rel = normalize(path.slice(prefix.length)).replace(/^(\.\.[/\\])+/, '');
    if (rel === '' || rel === '.' || rel.endsWith('/')) rel = join(rel, 'index.html');
    try {
      const body = await readFile(join(DIST, rel));
      res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream' }).end(body);
    } catch { res.writeHead(404).end(); }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const url = `${origin}${all[0]}`;
  return { url, origin, close: () => new Promise((ok) => server.close(ok)) };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', ...(process.env.CHROMIUM_ARGS ? process.env.CHROMIUM_ARGS.split(' ') : [])],
  });
}

/** Opens the page and waits until it is idle; records every request it makes. */
export async function openPage(browser, url) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(String(e)));
  // The CSP must never have to refuse anything the page itself does.
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) errors.push(m.text()); });
  await page.goto(url);
  await waitReady(page);
  return { page, context, requests, errors };
}

/** The page's reader worker: the one standing by, or the next to start. */
export async function readerWorker(page) {
  return page.workers()[0] ?? page.waitForEvent('worker', { timeout: 10_000 });
}

export async function waitReady(page) {
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30_000 });
}

/** Chooses files through the file input, as a user would with the button. */
export async function chooseFiles(page, files) {
  await page.evaluate(() => { document.body.dataset.ready = 'false'; });
  await page.setInputFiles('input[type=file][data-testid=file-input]', files.map((f) => ({
    name: f.name, mimeType: f.mimeType ?? 'text/csv', buffer: Buffer.from(f.content),
  })));
  await waitReady(page);
}

/** Drops files on the drop zone with a real DataTransfer. */
export async function dropFiles(page, files, target = '[data-testid=dropzone]') {
  await page.evaluate(() => { document.body.dataset.ready = 'false'; });
  const payload = files.map((f) => ({ name: f.name, bytes: [...Buffer.from(f.content)] }));
  const transfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const f of items) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    return dt;
  }, payload);
  await page.dispatchEvent(target, 'drop', { dataTransfer: transfer });
  await waitReady(page);
}

/** Fetches a file the server offers into the page, then drops it on the
 * drop zone, as a user's drop would hand it over: the file's transfer is
 * not part of what is timed. Returns the page's clock at the drop. */
export async function dropServedFile(page, url, name, options) {
  return dropServedFiles(page, [[url, name]], options);
}

/**
 * Drops several served files at once: [[url, name], …]. With `dragMs`, the
 * files are first dragged over the drop zone for that long, as a user's
 * drag is.
 */
export async function dropServedFiles(page, files, { dragMs = 0 } = {}) {
  await page.evaluate(async (files) => {
    window.__dropped = await Promise.all(files.map(async ([url, name]) => {
      const blob = await (await fetch(url)).blob();
      return new File([blob], name, { type: 'text/csv' });
    }));
  }, files);
  return page.evaluate(async (dragMs) => {
    const zone = document.querySelector('[data-testid=dropzone]');
    const dt = new DataTransfer();
    for (const file of window.__dropped) dt.items.add(file);
    const drag = (type) => zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    if (dragMs > 0) {
      drag('dragenter');
      drag('dragover');
      await new Promise((r) => setTimeout(r, dragMs));
    }
    document.body.dataset.ready = 'false';
    const t0 = performance.now();
    drag('drop');
    return t0;
  }, dragMs);
}

/** Shows the left column's panel `id` (problems, details, template, charts). */
export async function showTab(page, id) {
  await page.click(`[data-testid=tab-${id}]`);
  await page.waitForSelector(`#panel-${id}:not([hidden])`, { state: 'attached' });
}

/** Opens what hides `selector` from a user: the downloads menu, or its tab. */
export async function reveal(page, selector) {
  const where = await page.$eval(selector, (e) => ({
    menu: !!e.closest('.menu-list[hidden]'), tab: e.closest('[role=tabpanel][hidden]')?.id?.replace('panel-', ''),
  }));
  if (where.menu) await page.click('[data-testid=downloads-menu]');
  if (where.tab) await showTab(page, where.tab);
}

export async function findings(page) {
  return page.$$eval('[data-testid=finding]', (els) => els.map((e) => ({
    severity: e.dataset.severity, rule: e.dataset.rule, file: e.dataset.file, row: e.dataset.row,
    cells: JSON.parse(e.dataset.cells || '[]'), text: e.textContent,
  })));
}

/** Clicks a download button and saves what the page offers. */
export async function download(page, testid, name) {
  await mkdir(OUT, { recursive: true });
  await reveal(page, `[data-testid=${testid}]`);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testid}]`)]);
  const path = join(OUT, name);
  await dl.saveAs(path);
  return { path, suggested: dl.suggestedFilename() };
}

/** The reference CSV with one figure changed. */
export function referenceWith(code, period, value) {
  let changed = 0;
  const lines = REFERENCE_CSV.split('\n').map((line) => {
    if (line.startsWith(`${code},`) && line.includes(`,${period},`)) {
      changed += 1;
      const at = line.lastIndexOf(`,${period},`) + period.length + 2;
      const rest = line.slice(at);
      return line.slice(0, at) + value + rest.slice(rest.indexOf(','));
    }
    return line;
  });
  if (changed !== 1) throw new Error(`${code} ${period} found ${changed} times`);
  return lines.join('\n');
}

export function rowOf(code, period) {
  return REFERENCE_CSV.split('\n').findIndex((l) => l.startsWith(`${code},`) && l.includes(`,${period},`)) + 1;
}

/** Fails unless the DOCX or XLSX at `path` is valid against the OOXML schema
 * and Word's and Excel's rules (tests/ooxml/validate.py). */
export function assertValidOoxml(path) {
  try {
    execFileSync('python3', [join(ROOT, 'tests', 'ooxml', 'validate.py'), path], { encoding: 'utf8', timeout: 600_000 });
  } catch (e) {
    throw new Error(`${path} is not valid OOXML:\n${e.stdout ?? e}`);
  }
}

/** Every record autosave keeps: { key: size in bytes }, and the edits' text. */
export const records = (page) => page.evaluate(async () => {
  const db = await new Promise((ok, no) => { const r = indexedDB.open('baocao:' + new URL('.', location.href).pathname, 1); r.onsuccess = () => ok(r.result); r.onerror = no; });
  const all = await new Promise((ok) => {
    if (!db.objectStoreNames.contains('workspace')) return ok({});
    const store = db.transaction('workspace').objectStore('workspace');
    const out = {};
    const r = store.openCursor();
    r.onsuccess = () => {
      const c = r.result;
      if (!c) return ok(out);
      out[c.key] = c.value;
      c.continue();
    };
    r.onerror = () => ok({});
  });
    db.close();
  // Records are Blobs (the page stores them by reference).
  const bytes = async (v) => (v instanceof Blob ? new Uint8Array(await v.arrayBuffer()) : v);
  const sizes = {};
  for (const [k, v] of Object.entries(all)) sizes[k] = (await bytes(v)).byteLength;
  return {
    sizes,
    edits: all.edits ? new TextDecoder().decode(await bytes(all.edits)) : '',
  };
});
/** Autosave is asynchronous: wait until IndexedDB holds edits mentioning `text`.
 *  Polled from here: page.evaluate awaits the promise that reads the store. */
export async function saved(page, text) {
  const holds = async () => (await records(page)).edits.includes(text);
  for (const started = Date.now(); Date.now() - started < 10_000;) {
    if (await holds()) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`autosave never stored "${text}"`);
}

/** A small workbook with a valid table and one stray cell at XFD1048576
 * (openpyxl writes the cell as it is; a writer that fills the range would
 * not finish). */
export function writeStrayCellXlsx(path) {
  execFileSync('python3', ['-c', `
import openpyxl, sys
book = openpyxl.Workbook()
sheet = book.active
sheet.append(['code', 'period', 'value'])
sheet.append(['CBCC_XA', '2020', 4864])
sheet['XFD1048576'] = 'lạc'
book.save(sys.argv[1])`, path]);
}

/** 100,000 wards × 3 rows × 30 years (about 50 MB); with `wrong`, the
 * parts never add up: 3,000,000 breaches of one rule. */
export const EVERY_ROW = { communes: 100_000, years: 30 };
export function writeEveryRowCsv(path, wrong) {
  const years = Array.from({ length: EVERY_ROW.years }, (_, i) => 2001 + i);
  const part = wrong ? 2641 : 2605;
  const lines = [`code,entity,${years.join(',')}`];
  const row = (code, e, v) => `${code},Phường ${e},${years.map(() => v).join(',')}`;
  for (let e = 1; e <= EVERY_ROW.communes; e++) {
    lines.push(row('CBCC_XA', e, 4864), row('CB_CHUYEN_TRACH_XA', e, 2259), row('CONG_CHUC_XA', e, part));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** Deletes the smallest file record autosave keeps (a store cleared in part). */
export async function deleteSmallestFileRecord(page) {
  await page.evaluate(async () => {
    const db = await new Promise((ok, no) => { const r = indexedDB.open('baocao:' + new URL('.', location.href).pathname, 1); r.onsuccess = () => ok(r.result); r.onerror = no; });
    const store = db.transaction('workspace', 'readwrite').objectStore('workspace');
    const keys = await new Promise((ok) => { const r = store.getAllKeys(); r.onsuccess = () => ok(r.result); });
    const sizes = await Promise.all(keys.filter((k) => k.startsWith('file:')).map((k) => new Promise((ok) => {
      const r = store.get(k);
      r.onsuccess = () => ok([k, r.result instanceof Blob ? r.result.size : r.result.byteLength]);
    })));
    sizes.sort((a, b) => a[1] - b[1]);
    await new Promise((ok) => { const r = db.transaction('workspace', 'readwrite').objectStore('workspace').delete(sizes[0][0]); r.onsuccess = ok; });
    db.close();
  });
}
