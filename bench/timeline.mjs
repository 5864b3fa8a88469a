// When each step of a large drop happens in the page, from the drop event:
// the read's progress as the page shows it, the read's end (the progress
// bar leaves), `data-ready`, and where the longest frame gaps fell. For
// finding where bench/page.mjs's drop time goes.
//   node bench/timeline.mjs [file.csv]      (DIST=... for another dist;
//   DRAG_MS=500 drags the file over the page that long before the drop;
//   WAIT_MS=1500 waits that long after the page is ready, as a user would)
import { serveDist, launch, dropServedFile } from '../tests/e2e/harness.mjs';

const path = process.argv[2] ?? 'bench/out/long-1m.csv';
const name = path.split('/').pop();
const server = await serveDist('/', { '/__bench/big.csv': path });
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.waitForTimeout(Number(process.env.WAIT_MS ?? 0));
  await page.evaluate(() => {
    const log = (window.__timeline = []);
    let last = null;
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid=read-progress]');
      const now = bar ? `reading ${bar.getAttribute('value') ?? bar.dataset.value ?? ''}` : 'no read';
      if (now !== last) {
        log.push([performance.now(), now]);
        last = now;
      }
      if (document.body.dataset.ready === 'true' && log.at(-1)[1] !== 'ready') {
        log.push([performance.now(), 'ready']);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
        // Tasks over 50 ms (the Long Tasks API): which step holds a frame back.
    window.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__long.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
    window.__gaps = [];
    let prev = performance.now();
    const tick = (t) => {
      if (t - prev > 50) window.__gaps.push([prev, t - prev]);
      prev = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const t0 = await dropServedFile(page, '/__bench/big.csv', name, { dragMs: Number(process.env.DRAG_MS ?? 0) });
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 600_000 });
  await page.waitForTimeout(200);
    const { timeline, gaps, long } = await page.evaluate(() => ({
    timeline: window.__timeline,
    gaps: window.__gaps,
    long: window.__long,
  }));
  for (const [t, what] of timeline) console.log(`${(t - t0).toFixed(0).padStart(6)} ms  ${what}`);
  for (const [t, d] of gaps.filter(([t]) => t >= t0 - 100)) {
        console.log(`gap of ${d.toFixed(0)} ms from ${(t - t0).toFixed(0)} ms`);
  }
  for (const [t, d] of long.filter(([t]) => t >= t0 - 100)) {
    console.log(`task of ${d.toFixed(0)} ms from ${(t - t0).toFixed(0)} ms`);
  }
} finally {
  await browser.close();
  server.close();
}
