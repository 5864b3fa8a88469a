// The frames a large drop leaves the page: drops the file on a fresh page
// 1.5 s after it is ready, ROUNDS times, records every frame as
// bench/page.mjs does, and prints each drop's time to data-ready with its
// gaps between frames over 34 ms (two frames at 60 Hz) and where they fell
// (ms after the drop), then the longest gaps of all the drops.
//   node bench/frames.mjs [file.csv]      (DIST=... for another dist;
//   ROUNDS=5 by default)
import { serveDist, launch, dropServedFile } from '../tests/e2e/harness.mjs';

const path = process.argv[2] ?? 'bench/out/long-1m.csv';
const rounds = Number(process.env.ROUNDS ?? 5);
const server = await serveDist('/', { '/__bench/big.csv': path });
const browser = await launch();
try {
  const all = [];
  for (let round = 0; round < rounds; round++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    await page.waitForTimeout(1500);
    await page.evaluate(() => {
      window.__frames = [];
      const tick = (t) => {
        window.__frames.push(t);
        if (!window.__stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const t0 = await dropServedFile(page, '/__bench/big.csv', 'big.csv');
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 600_000 });
    const { wall, gaps } = await page.evaluate((t0) => {
      window.__stop = true;
      const f = window.__frames.filter((t) => t >= t0);
      const gaps = [];
      for (let i = 1; i < f.length; i++) gaps.push([f[i] - f[i - 1], f[i - 1] - t0]);
      return { wall: performance.now() - t0, gaps };
    }, t0);
    const long = gaps.filter(([gap]) => gap > 34).map(([gap, at]) => `${gap.toFixed(0)} ms at ${at.toFixed(0)}`);
    console.log(`drop → data-ready ${wall.toFixed(0)} ms, ${gaps.length} frames; gaps over 34 ms: ${long.join(', ') || 'none'}`);
    all.push(...gaps.map(([gap]) => gap));
    await context.close();
  }
  all.sort((a, b) => b - a);
  console.log(`longest gaps of the ${rounds} drops: ${all.slice(0, 5).map((g) => g.toFixed(0)).join(', ')} ms`);
} finally {
  await browser.close();
  await server.close();
}
