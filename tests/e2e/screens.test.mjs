// The page as an officer meets it on an office screen (1366×768), a large
// one (1920×1080) and a phone (390×844): what is in view, what the keyboard
// reaches, and English mode without Vietnamese left in the page's own words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveDist, launch, waitReady, chooseFiles, dropFiles, findings, referenceWith, REFERENCE_CSV, OUT } from './harness.mjs';

const SIZES = [
  { name: 'office', width: 1366, height: 768 },
  { name: 'large', width: 1920, height: 1080 },
  { name: 'phone', width: 390, height: 844, phone: true },
];
const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

// The data an office drops: one file with a wrong part (an error), a second
// file that gives one figure another value (a conflict), and a mistyped code.
const HEADER = REFERENCE_CSV.split('\n')[0];
const line = (code, period) => REFERENCE_CSV.split('\n').find((l) => l.startsWith(`${code},`) && l.includes(`,${period},`));
const MAIN = `${referenceWith('CONG_CHUC_XA', '2020', '2641').trimEnd()}\n${line('CBCC_HUYEN', '2020').replace(/^CBCC_HUYEN,"[^"]*",/, 'CBCC_HUYN,,')}\n`;
const OTHER = `${HEADER}\n${line('VIEN_CHUC', '2020').replace(/,(\d+),([^,]*)$/, (_, v, w) => `,${Number(v) + 54},${w}`)}\n`;

let server, browser;
before(async () => { server = await serveDist('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function open(size) {
  // axe is injected by the test, so this context lets it past the page's CSP.
  const context = await browser.newContext({
    viewport: { width: size.width, height: size.height }, bypassCSP: true, acceptDownloads: true,
    isMobile: !!size.phone, hasTouch: !!size.phone,
  });
  const page = await context.newPage();
  await page.goto(server.url);
  await waitReady(page);
  return { context, page };
}

const inView = (page, selector) => page.$eval(selector, (e) => {
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight + 1 && r.right <= innerWidth + 1;
});

async function axeViolations(page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

/** Presses Tab until `done` holds of the focused element; returns how many
 * presses it took (or Infinity). */
async function tabsUntil(page, done, limit = 30) {
  for (let n = 1; n <= limit; n += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(done)) return n;
  }
  return Infinity;
}

for (const size of SIZES) {
  test(`${size.name} screen (${size.width}×${size.height}): the path, the panels, the report and the keyboard`, async () => {
    const { context, page } = await open(size);
    await page.screenshot({ path: join(OUT, `screen-${size.name}-first.png`) });
    // The first visit shows the path, at step 1, with the input template there.
    assert.equal(await page.getAttribute('.steps', 'data-step'), '1');
    assert.ok(await inView(page, '[data-testid=download-template]'));
    // The drop zone and the tabs are in the first screen; the charts are folded away.
    assert.ok(await inView(page, '[data-testid=tab-problems]'));
    assert.equal(await page.isVisible('[data-testid=chart]'), false);

    await chooseFiles(page, [{ name: 'so-lieu.csv', content: MAIN }, { name: 'doi-chieu.csv', content: OTHER }]);
    assert.equal(await page.getAttribute('.steps', 'data-step'), '3');
    const all = await findings(page);
    // No code or rule id is the visible title of a finding.
    for (const f of await page.$$eval('[data-testid=finding]', (els) => els.map((e) => ({
      rule: e.dataset.rule, message: e.querySelector('.message').textContent,
    })))) {
      assert.ok(!f.message.startsWith(f.rule), f.message);
      assert.doesNotMatch(f.message, /^([A-Z0-9]+_[A-Z0-9_]+|[a-z]+\.[a-z-]+)/, f.message);
    }
    for (const title of await page.$$eval('.group-title', (els) => els.map((e) => e.firstChild.textContent))) {
      assert.doesNotMatch(title, /^[a-z]+\.[a-z-]+|^[A-Z0-9_]+ —/, title);
    }
    // Errors come before warnings, warnings before notes.
    const order = { error: 0, warning: 1, info: 2 };
    const severities = all.map((f) => order[f.severity]);
    assert.deepEqual(severities, [...severities].sort((a, b) => a - b), JSON.stringify(all.map((f) => f.rule)));
    // Both sides of the conflict: each file with its row and value.
    const conflict = all.find((f) => f.rule === 'conflict');
    assert.ok(conflict, JSON.stringify(all.map((f) => f.rule)));
    assert.match(conflict.text, /so-lieu\.csv dòng \d+: [\d.]+; doi-chieu\.csv dòng 2: [\d.]+/);
    assert.equal(await page.locator('[data-testid=finding][data-rule=conflict] [data-testid=open-source]').count(), 2);
    // Each file counts its problems by severity.
    assert.match(await page.textContent('.files'), /so-lieu\.csv · [\d.]+ dòng · \d+ lỗi · \d+ cảnh báo/);
    await page.screenshot({ path: join(OUT, `screen-${size.name}-findings.png`) });
    // The mistyped code offers the code meant; accepted, the file is read with it.
    const typo = page.locator('[data-testid=finding][data-rule="read.unknown-indicator"]');
    assert.equal(await typo.locator('[data-testid=correct-code]').getAttribute('data-code'), 'CBCC_HUYEN');
    await page.evaluate(() => { document.body.dataset.ready = 'false'; });
    await typo.locator('[data-testid=correct-code]').click();
    await waitReady(page);
    assert.equal(await typo.count(), 0);
    // "Giữ giá trị của doi-chieu.csv": the conflict goes, the report cites the kept value, a note can take it back.
    await page.evaluate(() => { document.body.dataset.ready = 'false'; });
    await page.click('[data-testid=finding][data-rule=conflict] [data-testid=keep-value][data-file="doi-chieu.csv"]');
    await waitReady(page);
    assert.equal(await page.locator('[data-testid=finding][data-rule=conflict]').count(), 0);
    assert.match(await page.textContent('[data-testid=report-preview]'), /số viên chức có mặt là 33\.982/);
    assert.equal(await page.locator('[data-testid=finding][data-rule=kept-value] [data-testid=release-kept]').count(), 1);

    // A figure opens its panel in view, with focus in it.
    if (size.phone) await page.click('[data-testid=tab-report]');
    const figure = page.locator('[data-testid=report-preview] .figure.failed').first();
    await figure.evaluate((e) => e.scrollIntoView({ block: 'center' }));
    if (size.phone) {
      // The A4 page fits the phone's width, and a figure's target is 44 px tall.
      const page1 = await page.$eval('.a4.page', (e) => e.getBoundingClientRect().right);
      assert.ok(page1 <= size.width, `the A4 page reaches ${page1} px on a ${size.width} px screen`);
      // A tap that misses every figure opens the nearest within 22 px: a
      // figure is 44 px of target, and never takes a tap nearer another.
      const box = await figure.boundingBox();
      assert.ok(box.height < 20, `a figure on the scaled page is ${box.height} px tall`);
      let tried = 0;
      for (const dy of [-1, 1]) {
        const probe = await page.evaluate(([x, y]) => {
          const nearest = [...document.querySelectorAll('[data-testid=report-preview] .figure')].map((f) => {
            const r = f.getBoundingClientRect();
            return [Math.hypot(Math.max(r.left - x, x - r.right, 0), Math.max(r.top - y, y - r.bottom, 0)), f.dataset.label];
          }).sort((a, b) => a[0] - b[0])[0];
          const hit = document.elementFromPoint(x, y);
          return { nearest, onFigure: !!hit?.closest('.figure') };
        }, [box.x + box.width / 2, box.y + box.height / 2 + dy * 20]);
        if (probe.onFigure || probe.nearest[0] > 22) continue;
        tried += 1;
        await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2 + dy * 20);
        await page.locator('[data-testid=figure-panel]').waitFor();
        assert.equal(await page.getAttribute('.figure.selected', 'data-label'), probe.nearest[1]);
        await page.keyboard.press('Escape');
      }
      assert.ok(tried > 0, 'a tap beside the figure was tried');
    }
    await figure.click();
    assert.ok(await inView(page, '[data-testid=figure-panel]'));
    assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-testid=figure-panel]') !== null), true);
    await page.screenshot({ path: join(OUT, `screen-${size.name}-figure.png`) });
    await page.keyboard.press('Escape');
    // Closed, the panel gives focus back to the figure that opened it.
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('figure')), true);

    // The download warns and lists the errors.
    await page.click('[data-testid=download-docx]');
    const dialog = page.locator('[role=alertdialog]');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /Báo cáo còn \d+ lỗi/);
    assert.ok(await dialog.locator('li.error').count() >= 1);
    assert.ok(await inView(page, '[data-testid=download-anyway]'));
    await page.screenshot({ path: join(OUT, `screen-${size.name}-warning.png`) });
    await page.click('[data-testid=download-cancel]');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'download-docx');

    // A drop on the report is taken.
    const fixed = referenceWith('CONG_CHUC_XA', '2020', '2605');
    await dropFiles(page, [{ name: 'so-lieu.csv', content: fixed }], '[data-testid=report-preview]');
    assert.equal((await findings(page)).filter((f) => f.rule === 'CBCC_XA_TONG').length, 0);

    assert.deepEqual(await axeViolations(page), []);
    await context.close();
  });

  test(`${size.name} screen: the keyboard reaches the downloads, the findings and the editor within 15 tab stops`, async () => {
    const { context, page } = await open(size);
    const downloads = await tabsUntil(page, () => document.activeElement?.dataset.testid === 'download-docx');
    assert.ok(downloads < 15, `the report's download after ${downloads} tab stops`);
    // Each count from the top of a freshly opened page.
    const fromTop = async () => { await page.reload(); await waitReady(page); };
    await fromTop();
    const findingsAt = await tabsUntil(page, () => !!document.activeElement?.closest('.findings'));
    assert.ok(findingsAt < 15, `the findings after ${findingsAt} tab stops`);
    await fromTop();
    const tabsAt = await tabsUntil(page, () => document.activeElement?.getAttribute('role') === 'tab');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'tab-template');
    const more = await tabsUntil(page, () => document.activeElement?.matches('textarea.template'), 10);
    assert.ok(tabsAt + 2 + more < 15, `the editor after ${tabsAt} + 2 arrows + ${more} tab stops`);
    await page.screenshot({ path: join(OUT, `screen-${size.name}-template.png`) });
    await context.close();
  });
}

// The indicators' names: data, which stay as the catalogue writes them.
const NAMES = REFERENCE_CSV.split('\n').slice(1).map((l) => (l.match(/^[^,]*,("(?:[^"]|"")*"|[^,]*)/) ?? [])[1])
  .filter(Boolean).map((n) => n.replace(/^"|"$/g, '').replace(/""/g, '"'));

// Letters only Vietnamese uses (and not English).
const VIETNAMESE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĂÂĐÊÔƠƯ]/;

test('English mode leaves no Vietnamese in the page\'s own words (the report and the data stay as they are)', async () => {
  const { context, page } = await open(SIZES[0]);
  await page.click('button:has-text("English")');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await chooseFiles(page, [{ name: 'so-lieu.csv', content: MAIN }, { name: 'doi-chieu.csv', content: OTHER }]);
  // Every screen of the page: each tab, the menu, a finding opened, a figure's panel, the warning.
  const leftovers = new Set();
  const collect = async (where) => {
    const found = await page.evaluate(([pattern, names]) => {
      const re = new RegExp(pattern);
      // Longest first, so a name inside another does not leave a piece behind.
      const sorted = [...names].sort((a, b) => b.length - a.length);
      const chrome = (text) => sorted.reduce((t, n) => t.split(n).join(''), text);
      const shown = (el) => el.checkVisibility();
      const out = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        // What the report and the data say is not the page's chrome.
        if (!el || el.closest('[translate=no], [lang=vi], .a4, script, style')) continue;
        if (!shown(el) || el.closest('noscript')) continue;
        if (re.test(chrome(n.textContent))) out.push(`${el.tagName.toLowerCase()}.${el.className}: ${n.textContent.trim().slice(0, 80)}`);
      }
      for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
        if (el.closest('[translate=no], [lang=vi], .a4') || !shown(el)) continue;
        for (const a of ['aria-label', 'title', 'placeholder']) {
          const v = el.getAttribute(a);
          if (v && re.test(chrome(v))) out.push(`${el.tagName.toLowerCase()}[${a}]: ${v.slice(0, 80)}`);
        }
      }
      if (re.test(document.title)) out.push(`title: ${document.title}`);
      return out;
    }, [VIETNAMESE.source, NAMES]);
    for (const f of found) leftovers.add(`${where} → ${f}`);
  };
  await collect('problems');
  await page.click('[data-testid=finding][data-rule=CBCC_XA_TONG] [data-testid=open-source]');
  await page.locator('[data-testid=source-view]').waitFor();
  await collect('source view');
  await page.click('[data-testid=downloads-menu]');
  await collect('downloads menu');
  await page.keyboard.press('Escape');
  for (const tab of ['details', 'template', 'charts']) {
    await page.click(`[data-testid=tab-${tab}]`);
    await collect(tab);
  }
  await page.click('[data-testid=report-preview] .figure.failed');
  await collect('figure panel');
  await page.keyboard.press('Escape');
  await page.click('[data-testid=download-docx]');
  await page.locator('[role=alertdialog]').waitFor();
  await collect('download warning');
  await page.screenshot({ path: join(OUT, 'screen-english.png') });
  writeFileSync(join(OUT, 'english-leftovers.txt'), [...leftovers].join('\n'));
  assert.deepEqual([...leftovers], []);
  await context.close();
});
