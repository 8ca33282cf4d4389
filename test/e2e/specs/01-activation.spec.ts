/**
 * Install and activation: the packaged .vsix is what runs, MoonTalk stays out of the
 * status bar until a command activates it, and then shows its idle item.
 */
import assert from 'node:assert/strict';
import { e2e } from '../support/fixture';

describe('installing and activating the packaged extension', () => {
  it('installs the .vsix into code-server', () => {
    const { installed } = e2e();
    assert.ok(
      installed.some((line) => /^moontalk\.moontalk-live@\d+\.\d+\.\d+$/.test(line)),
      `code-server lists ${JSON.stringify(installed)}`,
    );
  });

  it('shows no status bar item before a MoonTalk command runs (lazy activation)', async () => {
    const { workbench } = e2e();
    // The workbench is up, but nothing has asked for MoonTalk yet.
    assert.equal(await workbench.statusText(), undefined);
  });

  it('activates from the palette and shows the idle status bar item (first run: the offline demo, said so) and the panel', async () => {
    const { workbench } = e2e();
    await workbench.runCommand('MoonTalk: Open in Editor');
    assert.equal(await workbench.waitForStatus(/^MoonTalk · offline demo$/), 'MoonTalk · offline demo');
    assert.equal(await workbench.statusBackground(), undefined, 'the idle item is coloured');
    const panel = await e2e().panel();
    assert.equal(await panel.sessionState(), 'idle');
    assert.deepEqual(await panel.transcript(), []);
    await workbench.screenshot('01-idle');
    await panel.screenshot('01-idle');
  });

  it('loads the panel with nothing blocked by its Content Security Policy', async () => {
    await e2e().panel();
    // The workbench's own violations (fetches to the disabled gallery at 127.0.0.1:9) are
    // not the panel's; any other one is (before the style nonce, FAST's focus-visible probe was).
    const panelViolations = e2e()
      .consoleProblems()
      .filter((line) => line.includes('Content Security Policy') && !line.includes('/gallery/'));
    assert.deepEqual(panelViolations, []);
  });
});
