import { chromium } from 'playwright-core';
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--use-fake-ui-for-media-stream','--use-fake-device-for-media-stream','--autoplay-policy=no-user-gesture-required'] });
  const page = await browser.newPage();
  page.on('console', (m) => console.log('console', m.type(), m.text()));
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.log('CSP', e.violatedDirective, e.sourceFile, e.lineNumber, e.columnNumber, e.sample, new Error().stack))`);
  await page.goto(process.argv[2]!);
  await page.waitForTimeout(1500);
  await page.click('[data-testid="mic-button"]');
  await page.waitForTimeout(2000);
  console.log(await page.evaluate(`JSON.stringify({n: window.__harness.audioChunks.length, posted: window.__harness.posted.map(m=>m.type)})`));
  await browser.close();
})();
