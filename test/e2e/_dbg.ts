import { chromium } from 'playwright-core';
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync','--use-fake-ui-for-media-stream','--use-fake-device-for-media-stream','--autoplay-policy=no-user-gesture-required'] });
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 860 } });
  if (process.env.TWO) { const p1 = await ctx.newPage(); await p1.goto(process.argv[2]!); }
  const page = await ctx.newPage();
  page.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 200)));
  for (let i = 0; i < Number(process.env.NAV ?? 1); i++) { await page.goto(process.argv[2]!); await page.waitForTimeout(300); }
  await page.waitForTimeout(1000);
  if (process.argv[3]) {
    await page.evaluate(`(() => {
      const n = 12000, buf = new ArrayBuffer(n * 2), v = new DataView(buf);
      for (let i = 0; i < n; i++) v.setInt16(i * 2, Math.round(0.4 * 32767 * Math.sin(2 * Math.PI * 440 * i / 24000)), true);
      window.postMessage({ type: 'audio/play', seq: 0, pcm: buf }, '*');
    })()`);
    await page.waitForTimeout(300);
    if (process.argv[3] === 'int') await page.evaluate("window.postMessage({ type: 'audio/interrupted' }, '*')");
    await page.waitForTimeout(300);
  }
  const t0 = Date.now();
  await page.click('[data-testid="mic-button"]');
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(250);
    const r = await page.evaluate(`JSON.stringify({n: window.__harness.audioChunks.length, posted: window.__harness.posted.map(m=>m.type).filter(t => t !== 'audio/level')})`);
    if (r.includes('audio/start') || i === 39) { console.log(Date.now() - t0, r, await page.evaluate("document.querySelector('.mt-audio').dataset.context")); break; }
  }
  await browser.close();
})();
