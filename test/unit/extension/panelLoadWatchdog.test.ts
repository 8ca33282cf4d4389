import assert from 'node:assert/strict';
import { PANEL_LOAD_TIMEOUT_MS, PanelLoadWatchdog } from '../../../src/extension/panelLoadWatchdog';
import { FakeClock } from '../../fakes/fakeClock';

describe('the panel load watchdog', () => {
  function setUp(timeoutMs = PANEL_LOAD_TIMEOUT_MS) {
    const clock = new FakeClock();
    let stuck = 0;
    const watchdog = new PanelLoadWatchdog(clock, () => timeoutMs, () => stuck++);
    return { clock, watchdog, stuck: () => stuck };
  }

  it('reports a panel that has not said ready within the timeout, once', () => {
    const { clock, watchdog, stuck } = setUp();
    watchdog.expectReady();
    clock.advance(PANEL_LOAD_TIMEOUT_MS - 1);
    assert.equal(stuck(), 0);
    clock.advance(1);
    assert.equal(stuck(), 1);
    assert.equal(watchdog.isWaiting, false);
    clock.advance(PANEL_LOAD_TIMEOUT_MS * 3);
    assert.equal(stuck(), 1);
  });

  it('stays quiet when ready arrives in time', () => {
    const { clock, watchdog, stuck } = setUp();
    watchdog.expectReady();
    clock.advance(PANEL_LOAD_TIMEOUT_MS / 2);
    watchdog.stop();
    clock.advance(PANEL_LOAD_TIMEOUT_MS * 2);
    assert.equal(stuck(), 0);
  });

  it('does not restart the wait when asked again while waiting (a second render is not more time)', () => {
    const { clock, watchdog, stuck } = setUp(1_000);
    watchdog.expectReady();
    clock.advance(600);
    watchdog.expectReady();
    clock.advance(400);
    assert.equal(stuck(), 1);
  });

  it('waits afresh after a hide and show', () => {
    const { clock, watchdog, stuck } = setUp(1_000);
    watchdog.expectReady();
    clock.advance(900);
    watchdog.stop(); // hidden: no document
    clock.advance(5_000);
    watchdog.expectReady(); // shown: the document reloads
    clock.advance(999);
    assert.equal(stuck(), 0);
    clock.advance(1);
    assert.equal(stuck(), 1);
  });

  it('reports nothing after dispose', () => {
    const { clock, watchdog, stuck } = setUp();
    watchdog.expectReady();
    watchdog.dispose();
    clock.advance(PANEL_LOAD_TIMEOUT_MS * 2);
    assert.equal(stuck(), 0);
  });
});
