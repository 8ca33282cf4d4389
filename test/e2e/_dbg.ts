import { chromium } from 'playwright-core';
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--use-fake-ui-for-media-stream','--use-fake-device-for-media-stream','--autoplay-policy=no-user-gesture-required'] });
  const page = await browser.newPage();
  page.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 200)));
  await page.goto(process.argv[2]!);
  await page.waitForTimeout(1000);
  if (process.argv[3]) {
    await page.evaluate(`(() => { const n = 12000, buf = new ArrayBuffer(n * 2); window.postMessage({ type: 'audio/play', seq: 0, pcm: buf }, '*'); })()`);
    await page.waitForTimeout(500);
  }
  const t0 = Date.now();
  await page.click('[data-testid="mic-button"]');
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(250);
    const r = await page.evaluate(`JSON.stringify({n: window.__harness.audioChunks.length, posted: window.__harness.posted.map(m=>m.type).filter(t => t !== 'audio/level')})`);
    if (r.includes('audio/start')) { console.log(Date.now() - t0, r); break; }
  }
  await browser.close();
})();
