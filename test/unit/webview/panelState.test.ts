import assert from 'node:assert/strict';
import { PROTOCOL_VERSION, type FullState, type SessionView, type TranscriptEntry } from '../../../src/protocol/messages';
import {
  chatAccepts,
  gaugeInput,
  INITIAL_PANEL_STATE,
  inputMeterRests,
  isListening,
  notices,
  reduce,
  sameGauge,
  sendsAudio,
  tokenState,
  voiceProcessing,
  type Notice,
  type PanelInput,
  type PanelState,
} from '../../../webview/panelState';
import { fullState } from './fullState';

const withSession = (over: Partial<SessionView>, base: FullState = fullState()): FullState => ({ ...base, session: { ...base.session, ...over } });
const at = (view: FullState | null): PanelState => ({ view });
const entry = (over: Partial<TranscriptEntry> = {}): TranscriptEntry => ({ id: 'm1', turn: 1, role: 'model', text: 'Hi', partial: false, markers: [], at: 0, ...over });

/** Reduces and collects the notices, as main.ts does. */
function step(state: PanelState, input: PanelInput): { state: PanelState; notices: Notice[] } {
  const next = reduce(state, input);
  return { state: next, notices: notices(state, input, next) };
}

describe('panel state (webview/panelState.ts)', () => {
  describe('reduce', () => {
    const base = fullState();
    const rows: ReadonlyArray<[string, PanelState, PanelInput, (s: PanelState) => unknown, unknown]> = [
      ['init replaces everything', INITIAL_PANEL_STATE, { type: 'init', version: PROTOCOL_VERSION, state: base }, (s) => s.view, base],
      ['a restored state (bootstrap, cache) replaces everything', at(withSession({ state: 'idle' })), { type: 'restored', state: base }, (s) => s.view, base],
      ['session/stateChanged replaces the session', at(base), { type: 'session/stateChanged', session: { ...base.session, state: 'reconnecting' } }, (s) => s.view?.session.state, 'reconnecting'],
      ['token/statusChanged replaces the token', at(base), { type: 'token/statusChanged', token: { ...base.token, hasToken: true } }, (s) => s.view?.token.hasToken, true],
      ['settings/changed replaces the settings', at(base), { type: 'settings/changed', settings: { ...base.settings, resumption: false } }, (s) => s.view?.settings.resumption, false],
      ['audio/statusChanged replaces the audio', at(base), { type: 'audio/statusChanged', audio: { ...base.audio, listening: true } }, (s) => s.view?.audio.listening, true],
      ['tools/confirmationsChanged replaces the questions', at(base), { type: 'tools/confirmationsChanged', confirmations: [{ id: 'c1', tool: 'insert', title: 'Insert', detail: 'x' }] }, (s) => s.view?.toolConfirmations?.length, 1],
      ['transcript/cleared empties the snapshot', at(base), { type: 'transcript/cleared' }, (s) => s.view?.transcript, []],
      ['a notification before any state is dropped', INITIAL_PANEL_STATE, { type: 'session/stateChanged', session: base.session }, (s) => s.view, null],
    ];
    for (const [name, state, input, pick, want] of rows) {
      it(name, () => assert.deepEqual(pick(reduce(state, input)), want));
    }

    it('leaves the state (the same object) for streams and views', () => {
      const s = at(base);
      const streams: PanelInput[] = [
        { type: 'transcript/appended', entry: entry() },
        { type: 'transcript/updated', entry: entry() },
        { type: 'audio/play', seq: 0, pcm: new ArrayBuffer(2) },
        { type: 'audio/interrupted' },
        { type: 'audio/inputLevel', level: 0.5 },
        { type: 'debug/info', json: '{}' },
        { type: 'error', message: 'x' },
        { type: 'history/listed', conversations: [] },
        { type: 'history/shown', id: 'h', title: 't', markdown: '' },
      ];
      for (const input of streams) assert.equal(reduce(s, input), s, input.type);
    });

    it('never mutates the previous state', () => {
      const before = fullState();
      const copy = structuredClone(before);
      reduce(at(before), { type: 'session/stateChanged', session: { ...before.session, state: 'failed' } });
      reduce(at(before), { type: 'transcript/cleared' });
      assert.deepEqual(before, copy);
    });
  });

  describe('notices', () => {
    const connected = fullState();
    const rows: ReadonlyArray<[string, PanelState, PanelInput, Notice[]]> = [
      ['first init: nothing to announce', INITIAL_PANEL_STATE, { type: 'init', version: PROTOCOL_VERSION, state: connected }, []],
      [
        'init from another protocol version: a banner',
        INITIAL_PANEL_STATE,
        { type: 'init', version: PROTOCOL_VERSION + 1, state: connected },
        [{ kind: 'showBanner', message: `The panel (protocol ${PROTOCOL_VERSION}) and the extension (protocol ${PROTOCOL_VERSION + 1}) differ. Close and reopen the panel.`, action: 'showLogs' }],
      ],
      [
        'init of a failed session without a key: banner offers Set API Key, and the change is announced',
        at(connected),
        { type: 'init', version: PROTOCOL_VERSION, state: { ...withSession({ state: 'failed', detail: 'Stopped after an error', errorMessage: 'Gemini rejected the API key.' }), hasApiKey: false } },
        [
          { kind: 'showBanner', message: 'Gemini rejected the API key.', action: 'setApiKey' },
          { kind: 'announce', text: 'Failed. Stopped after an error' },
        ],
      ],
      [
        'reconnecting → connected: announced, and the banner goes',
        at(withSession({ state: 'reconnecting' })),
        { type: 'session/stateChanged', session: withSession({ state: 'connected', detail: 'Connected (connection 3)' }).session },
        [{ kind: 'announce', text: 'Connected. Connected (connection 3)' }, { kind: 'hideBanner' }],
      ],
      ['same state, new stats: quiet', at(connected), { type: 'session/stateChanged', session: { ...connected.session, lastUsageTotal: 99 } }, []],
      [
        'connected → failed with a message and a key: announced, banner offers Retry',
        at(connected),
        { type: 'session/stateChanged', session: withSession({ state: 'failed', detail: 'Stopped after an error', errorMessage: 'Gemini ended the session.' }).session },
        [{ kind: 'announce', text: 'Failed. Stopped after an error' }, { kind: 'showBanner', message: 'Gemini ended the session.', action: 'retry' }],
      ],
      ['failed again with the same message: not shown twice', at(withSession({ state: 'failed', errorMessage: 'Same.' })), { type: 'session/stateChanged', session: withSession({ state: 'failed', errorMessage: 'Same.' }).session }, []],
      ['a new token: announced', at(connected), { type: 'token/statusChanged', token: { ...connected.token, hasToken: true, name: 'auth_tokens/ab…yz' } }, [{ kind: 'announce', text: 'New ephemeral token ready' }]],
      ['the same token ticking: quiet', at(connected), { type: 'token/statusChanged', token: { ...connected.token } }, []],
      ['a finished interrupted answer: announced', at(connected), { type: 'transcript/updated', entry: entry({ markers: ['interrupted'] }) }, [{ kind: 'announce', text: 'Gemini was interrupted' }]],
      ['an interrupted answer still streaming: quiet', at(connected), { type: 'transcript/updated', entry: entry({ markers: ['interrupted'], partial: true }) }, []],
      [
        'the host starts listening with panel capture: open the microphone',
        at(connected),
        { type: 'audio/statusChanged', audio: { captureBackend: 'webview', listening: true, problem: null } },
        [{ kind: 'startCapture' }, { kind: 'announce', text: 'Listening' }],
      ],
      ['the host starts listening with host capture: nothing to open here', at(connected), { type: 'audio/statusChanged', audio: { captureBackend: 'host', listening: true, problem: null } }, [{ kind: 'announce', text: 'Listening' }]],
      [
        'the host stops listening: release the microphone, zero the meter',
        at({ ...connected, audio: { captureBackend: 'webview', listening: true, problem: null } }),
        { type: 'audio/statusChanged', audio: { captureBackend: 'webview', listening: false, problem: null } },
        [{ kind: 'stopCapture' }, { kind: 'resetInputLevel' }, { kind: 'announce', text: 'Stopped listening' }],
      ],
      [
        'dictation starts in a browser: this page opens its microphone, nobody is told "Listening"',
        at(connected),
        { type: 'audio/statusChanged', audio: { captureBackend: 'webview', listening: false, problem: null, dictating: true } },
        [{ kind: 'startCapture' }],
      ],
      [
        'dictation asks for the microphone with host capture for the conversation: still this page opens it',
        at(connected),
        { type: 'audio/statusChanged', audio: { captureBackend: 'host', listening: false, problem: null, dictating: true } },
        [{ kind: 'startCapture' }],
      ],
      [
        'dictation ends: release the microphone, zero the meter, quietly',
        at({ ...connected, audio: { captureBackend: 'webview', listening: false, problem: null, dictating: true } }),
        { type: 'audio/statusChanged', audio: { captureBackend: 'webview', listening: false, problem: null } },
        [{ kind: 'stopCapture' }, { kind: 'resetInputLevel' }],
      ],
      [
        'Start Listening ends a dictation: the microphone stays open for the conversation',
        at({ ...connected, audio: { captureBackend: 'webview', listening: false, problem: null, dictating: true } }),
        { type: 'audio/statusChanged', audio: { captureBackend: 'webview', listening: true, problem: null } },
        [{ kind: 'startCapture' }, { kind: 'announce', text: 'Listening' }],
      ],
      [
        'dictation while the other page speaks: this page opens no microphone',
        at(connected),
        { type: 'audio/statusChanged', audio: { captureBackend: 'webview', listening: false, problem: null, dictating: true, thisSurface: false } },
        [],
      ],
      [
        'listening starts while the other page speaks: this page opens no microphone',
        at(connected),
        { type: 'audio/statusChanged', audio: { captureBackend: 'webview', listening: true, problem: null, thisSurface: false } },
        [{ kind: 'announce', text: 'Listening' }],
      ],
      [
        'the other page becomes the one that speaks while listening: release the microphone here, keep listening',
        at({ ...connected, audio: { captureBackend: 'webview', listening: true, problem: null, thisSurface: true } }),
        { type: 'audio/statusChanged', audio: { captureBackend: 'webview', listening: true, problem: null, thisSurface: false } },
        [{ kind: 'stopCapture' }],
      ],
      [
        'this page becomes the one that speaks while listening: open the microphone here',
        at({ ...connected, audio: { captureBackend: 'webview', listening: true, problem: null, thisSurface: false } }),
        { type: 'audio/statusChanged', audio: { captureBackend: 'webview', listening: true, problem: null, thisSurface: true } },
        [{ kind: 'startCapture' }],
      ],
      [
        'init while listening with webview capture on this page (Start Listening brought it up): open the microphone',
        at(connected),
        { type: 'init', version: PROTOCOL_VERSION, state: { ...connected, audio: { captureBackend: 'webview', listening: true, problem: null, thisSurface: true } } },
        [{ kind: 'startCapture' }],
      ],
      [
        'init while listening on the other page: no microphone here',
        at(connected),
        { type: 'init', version: PROTOCOL_VERSION, state: { ...connected, audio: { captureBackend: 'webview', listening: true, problem: null, thisSurface: false } } },
        [],
      ],
      ['an error notification: a banner with its action', at(connected), { type: 'error', message: 'No key.', action: 'setApiKey' }, [{ kind: 'showBanner', message: 'No key.', action: 'setApiKey' }]],
      ['an error without an action', INITIAL_PANEL_STATE, { type: 'error', message: 'Oops.' }, [{ kind: 'showBanner', message: 'Oops.' }]],
      ['audio before any state: quiet', INITIAL_PANEL_STATE, { type: 'audio/statusChanged', audio: { captureBackend: 'webview', listening: true, problem: null } }, []],
    ];
    for (const [name, state, input, want] of rows) {
      it(name, () => assert.deepEqual(step(state, input).notices, want));
    }
  });

  describe('selectors', () => {
    const rows: ReadonlyArray<[SessionView['state'], boolean]> = [
      ['idle', false],
      ['connecting', true],
      ['connected', true],
      ['handingOff', true],
      ['reconnecting', true],
      ['closed', false],
      ['failed', false],
    ];
    for (const [state, accepts] of rows) {
      it(`the chat box ${accepts ? 'sends' : 'keeps the draft'} while ${state}`, () => assert.equal(chatAccepts(withSession({ state })), accepts));
    }
    it('the chat box keeps the draft before any state', () => assert.equal(chatAccepts(null), false));

    it('names the token status: none, expired, valid, resume-only', () => {
      const t = fullState().token;
      assert.equal(tokenState(t), 'none');
      assert.equal(tokenState({ ...t, hasToken: true, isValid: false }), 'expired');
      assert.equal(tokenState({ ...t, hasToken: true, isValid: true, canStartNewSession: true }), 'valid');
      assert.equal(tokenState({ ...t, hasToken: true, isValid: true, canStartNewSession: false }), 'resume-only');
    });

    it('feeds the context gauge usage against the trigger, and compares by value', () => {
      const g = gaugeInput(fullState());
      assert.deepEqual(g, { lastUsageTotal: 12_000, triggerTokens: 32_000, compressionEnabled: true });
      assert.ok(sameGauge(g, gaugeInput(fullState())));
      assert.ok(!sameGauge(g, gaugeInput(withSession({ lastUsageTotal: 13_000 }))));
      assert.ok(!sameGauge(null, g));
    });

    it('sends audio unless muted; listens when the host or the panel capture says so', () => {
      const s = fullState();
      assert.equal(sendsAudio(s), true);
      assert.equal(sendsAudio({ ...s, audio: { ...s.audio, muted: true } }), false);
      // Mute is the conversation's: a mute left on from it does not silence dictation.
      assert.equal(sendsAudio({ ...s, audio: { ...s.audio, muted: true, dictating: true } }), true);
      assert.equal(isListening(s, false), false);
      assert.equal(isListening(s, true), true);
      assert.equal(isListening({ ...s, audio: { ...s.audio, listening: true } }, false), true);
      // The microphone open for dictation is not the conversation listening: the button still offers Start Listening.
      assert.equal(isListening({ ...s, audio: { ...s.audio, dictating: true } }, true), false);
    });

    it('turns voice processing on unless the settings say off (older states lack the field)', () => {
      const s = fullState();
      assert.equal(voiceProcessing(null), true);
      assert.equal(voiceProcessing(s), true);
      assert.equal(voiceProcessing({ ...s, settings: { ...s.settings, voiceProcessing: false } }), false);
    });

    it('rests the input meter only when nothing feeds it', () => {
      const s = fullState();
      const hostListening = { ...s, audio: { captureBackend: 'host' as const, listening: true, problem: null } };
      assert.equal(inputMeterRests(s, false, false), true);
      assert.equal(inputMeterRests(s, true, false), false);
      assert.equal(inputMeterRests(s, false, true), false);
      assert.equal(inputMeterRests(hostListening, false, false), false);
    });
  });
});
