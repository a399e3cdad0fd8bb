// Opens the tuning page in Debian's headless Chromium for SECONDS and prints the page's own figures as JSON:
// frames received, frames/s, and the page update latency (server snapshot -> DOM updated) p50/p99/max in ms.
// Uses the playwright-core that Microsoft.Playwright copies beside the browser tests (no download).
// Usage: node web-measure.mjs PLAYWRIGHT_PACKAGE_DIR URL SECONDS
import { createRequire } from "node:module";
const [packageDir, url, seconds] = process.argv.slice(2);
const { chromium } = createRequire(import.meta.url)(packageDir);
const browser = await chromium.launch({ executablePath: "/usr/lib/chromium/chromium-headless-shell", headless: true });
const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
await page.goto(url);
await page.waitForFunction(() => window.iolaedge.frames >= 10, null, { timeout: 30000 });
await page.evaluate(() => { window.iolaedge.latencies.length = 0; window.iolaedge.t0 = performance.now(); window.iolaedge.f0 = window.iolaedge.frames; });
await page.waitForTimeout(Number(seconds) * 1000);
const figures = await page.evaluate(() => {
  const s = window.iolaedge, l = [...s.latencies].sort((a, b) => a - b);
  const at = (p) => l[Math.min(l.length - 1, Math.max(0, Math.ceil(p / 100 * l.length) - 1))];
  return { frames: s.frames - s.f0, fps: (s.frames - s.f0) / ((performance.now() - s.t0) / 1000), p50: at(50), p99: at(99), max: l[l.length - 1], n: l.length };
});
console.log(JSON.stringify(figures));
await browser.close();
