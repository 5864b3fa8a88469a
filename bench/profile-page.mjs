// Where the page spends the 1M-row drop: Chromium's sampling profiler through
// Playwright (CDP), summed by function (self time). Run on a dist built with
// names kept, e.g.
//   sed 's|data-wasm-opt="z" />|data-wasm-opt="0" data-keep-debug />|' index.html > profile.html
//   trunk build --release --offline --dist /tmp/dist-prof profile.html
//   DIST=/tmp/dist-prof node bench/profile-page.mjs [file.csv]
import { serveDist, launch, dropServedFile } from '../tests/e2e/harness.mjs';

const path = process.argv[2] ?? 'bench/out/long-1m.csv';
const server = await serveDist('/', { '/__bench/big.csv': path });
const browser = await launch();
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  const t0 = await dropServedFile(page, '/__bench/big.csv', process.argv[2]?.split('/').pop() ?? 'big.csv', { dragMs: Number(process.env.DRAG_MS ?? 0) });
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 600_000 });
  const wall = await page.evaluate((t0) => performance.now() - t0, t0);
  const { profile } = await cdp.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const name = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}`;
    self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
  });
      // The longest stretches without an idle sample: what keeps the page from
  // painting. (The profiler's own cost lengthens them.)
  let t = profile.startTime;
  const times = profile.timeDeltas.map((d) => (t += d));
  const idle = (id) => byId.get(id).callFrame.functionName === '(idle)';
  const stretches = [];
  let start = 0;
  profile.samples.forEach((id, i) => {
    if (!idle(id)) return;
    if (i > start) stretches.push({ from: start, to: i - 1 });
    start = i + 1;
  });
  const length = (s) => times[s.to] - times[s.from];
  for (const s of stretches.sort((a, b) => length(b) - length(a)).slice(0, 4)) {
    const stretch = new Map();
    for (let i = s.from; i <= s.to; i++) {
      const n = byId.get(profile.samples[i]);
      const name = n.callFrame.functionName || '(anonymous)';
      stretch.set(name, (stretch.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    }
    const at = ((times[s.from] - profile.startTime) / 1000).toFixed(0);
    console.log(`busy stretch of ${(length(s) / 1000).toFixed(0)} ms, ${at} ms into the profile; its top self time:`);
    for (const [name, ms] of [...stretch].sort((a, b) => b[1] - a[1]).slice(0, 6)) {
      console.log(`${ms.toFixed(0).padStart(7)} ms  ${name.slice(0, 120)}`);
    }
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`wall ${wall} ms, profiled ${total.toFixed(0)} ms; top self time:`);
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
    console.log(`${ms.toFixed(0).padStart(7)} ms  ${name.slice(0, 140)}`);
  }
} finally {
  await browser.close();
  await server.close();
}
