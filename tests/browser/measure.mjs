// How smoothly the dashboard draws: opens the page in chromium (software WebGL), waits until every node is drawn, then
// counts animation frames per second idle and while events stream in (replay set to "as it arrives"), and the events
// the page takes in per second. Prints one JSON line. Used by tests/PSPeer.Benchmarks/dashboard-page.ps1.
//
//   node measure.mjs <url> <expected nodes> [seconds]
import { chromium } from "playwright-core";

const [url, expectedText, secondsText] = process.argv.slice(2);
// Bounded: a page that never gets ready (or a browser that hangs) ends the measurement with an error line.
setTimeout(() => { console.log(JSON.stringify({ error: "no result within 6 minutes" })); process.exit(2); }, 360000).unref();
const expected = Number(expectedText), seconds = Number(secondsText || 5);
const browser = await chromium.launch({
  executablePath: process.env.PSPEER_CHROMIUM || "/usr/bin/chromium", headless: true,
  args: [...(process.getuid && process.getuid() === 0 ? ["--no-sandbox"] : []), "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"],
});
const fps = (page, s) => page.evaluate((ms) => new Promise((resolve) => {
  let frames = 0, worst = 0, last = performance.now();
  const start = last;
  const frame = (now) => {
    frames++; worst = Math.max(worst, now - last); last = now;
    if (now - start < ms) requestAnimationFrame(frame); else resolve({ fps: frames / ((now - start) / 1000), worstFrameMs: Math.round(worst) });
  };
  requestAnimationFrame(frame);
}), s * 1000);
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const t0 = Date.now();
  await page.goto(url);
  console.error("page loaded");
  await page.waitForFunction((n) => window.__pspeer && window.__pspeer.ready && window.__pspeer.nodesDrawn >= n, expected, { timeout: 300000, polling: 250 });
  const readyMs = Date.now() - t0;
  console.error("page ready");
  await page.selectOption("#speed", "0");
  // The cost of one full draw, median of 15: closer to what the page needs than frames counted on a busy machine.
  const renderMs = await page.evaluate(() => {
    const times = [];
    for (let i = 0; i < 15; i++) times.push(window.__pspeer.timeRender());
    times.sort((a, b) => a - b);
    return Math.round(times[7] * 10) / 10;
  });
  const idle = await fps(page, 3);
  const before = await page.evaluate(() => window.__pspeer.eventsReleased);
  const t1 = Date.now();
  const busy = await fps(page, seconds);
  const after = await page.evaluate(() => ({ released: window.__pspeer.eventsReleased, links: window.__pspeer.links, nodes: window.__pspeer.nodesDrawn }));
  console.log(JSON.stringify({ nodes: after.nodes, links: after.links, readyMs, renderMs, idle, busy,
    pageEventsPerSec: Math.round((after.released - before) / ((Date.now() - t1) / 1000)) }));
} finally {
  await browser.close();
}
