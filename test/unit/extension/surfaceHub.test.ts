import assert from 'node:assert/strict';
import { nullLogger } from '../../../src/common/logger';
import type { AnswerChunk } from '../../../src/extension/answerAudioBuffer';
import { SurfaceHub, type HubSurface } from '../../../src/extension/surfaceHub';

class FakeSurface implements HubSurface {
  isReady = false;
  visible = true;
  played: number[] = [];
  interrupts = 0;
  statusRefreshes = 0;
  constructor(readonly kind: 'view' | 'panel') {}
  playAudio(chunk: AnswerChunk): boolean {
    if (!this.isReady) return false;
    this.played.push(chunk.seq);
    return true;
  }
  interruptAudio(): void {
    this.interrupts++;
  }
  refreshAudioStatus(): void {
    this.statusRefreshes++;
  }
}

const chunk = (seq: number): AnswerChunk => ({ seq, pcm: new ArrayBuffer(4) });

function makeHub() {
  let reveals = 0;
  const hub = new SurfaceHub({ revealQuietly: () => reveals++, logger: nullLogger });
  return { hub, reveals: () => reveals };
}

/** A hub with a view and a panel, both ready; `addedFirst` is the page added to the hub first. */
function hubWithTwoReadyPages(addedFirst: 'view' | 'panel' = 'view') {
  const { hub } = makeHub();
  const view = new FakeSurface('view');
  const panel = new FakeSurface('panel');
  if (addedFirst === 'view') {
    hub.add(view);
    hub.add(panel);
  } else {
    hub.add(panel);
    hub.add(view);
  }
  view.isReady = panel.isReady = true;
  return { hub, view, panel };
}

describe('SurfaceHub (which page speaks; no spoken answer lost)', () => {
  it('plays each chunk on one page only: the one the user last acted in', () => {
    const { hub, view, panel } = hubWithTwoReadyPages();
    hub.ready(view);
    hub.audio(chunk(1));
    hub.prefer(panel);
    hub.audio(chunk(2));
    assert.deepEqual(view.played, [1]);
    assert.deepEqual(panel.played, [2]);
    assert.equal(hub.isAudioSurface(panel), true);
    assert.equal(hub.isAudioSurface(view), false);
  });

  it('prefers a visible page over a hidden one that kept its context', () => {
    const { hub, view, panel } = hubWithTwoReadyPages('panel');
    hub.prefer(view);
    view.visible = false;
    hub.update();
    assert.equal(hub.audioSurface, panel);
  });

  it('tells every page to resend its audio status when the page that speaks changes', () => {
    const { hub, view, panel } = hubWithTwoReadyPages();
    hub.prefer(view);
    const before = [view.statusRefreshes, panel.statusRefreshes];
    hub.prefer(panel);
    assert.deepEqual([view.statusRefreshes - before[0]!, panel.statusRefreshes - before[1]!], [1, 1]);
    hub.prefer(panel);
    assert.deepEqual([view.statusRefreshes - before[0]!, panel.statusRefreshes - before[1]!], [1, 1], 'no change, no resend');
  });

  it('with no page up: reveals the view once per answer, keeps the audio and replays it from the start when the view is ready', () => {
    const { hub, reveals } = makeHub();
    hub.audio(chunk(1));
    hub.audio(chunk(2));
    assert.equal(reveals(), 1, 'one reveal, not one per chunk');
    const view = new FakeSurface('view');
    hub.add(view);
    view.isReady = true;
    hub.ready(view);
    hub.audio(chunk(3));
    assert.deepEqual(view.played, [1, 2, 3]);
    assert.equal(hub.replays, 1);
  });

  it('replays from the start of the answer when the page that played it lost its document mid-answer', () => {
    const { hub, reveals } = makeHub();
    const panel = new FakeSurface('panel');
    hub.add(panel);
    panel.isReady = true;
    hub.ready(panel);
    hub.audio(chunk(1));
    panel.isReady = false; // hidden: a panel without a retained context has no page
    hub.update();
    hub.audio(chunk(2));
    assert.equal(reveals(), 1);
    const view = new FakeSurface('view');
    hub.add(view);
    view.isReady = true;
    hub.ready(view);
    assert.deepEqual(view.played, [1, 2]);
  });

  it('reveals the view for the model\'s text too when no page shows it, and asks again for the next answer', () => {
    const { hub, reveals } = makeHub();
    hub.modelText();
    hub.modelText();
    assert.equal(reveals(), 1);
    hub.answerEnded();
    hub.modelText();
    assert.equal(reveals(), 2);
  });

  it('does not replay an interrupted answer, and stops the voice on every ready page', () => {
    const { hub } = makeHub();
    hub.audio(chunk(1));
    const view = new FakeSurface('view');
    const panel = new FakeSurface('panel');
    hub.add(view);
    hub.add(panel);
    panel.isReady = true;
    hub.interrupted();
    view.isReady = true;
    hub.ready(view);
    assert.deepEqual(view.played, []);
    assert.equal(panel.interrupts, 1);
    assert.equal(view.interrupts, 0, 'a page not ready had nothing playing');
  });

  it('forgets a closed page', () => {
    const { hub } = makeHub();
    const view = new FakeSurface('view');
    const sub = hub.add(view);
    view.isReady = true;
    hub.ready(view);
    sub.dispose();
    assert.equal(hub.audioSurface, undefined);
    assert.equal(hub.all.length, 0);
  });
});
