/**
 * Builders with valid defaults, so each test states only what matters to it.
 */
import { nullLogger, type Logger } from '../../src/common/logger';
import { DEFAULT_SESSION_OPTIONS, LiveSession, type LiveSessionDeps, type LiveSessionOptions } from '../../src/core/liveSession';
import type { ClientMessage, Content, ServerFrame, SetupOptions } from '../../src/core/messages';
import { ApiKeyCredentials, type CredentialSource, type Random } from '../../src/core/ports';
import type { SessionEvent } from '../../src/core/sessionEvents';
import type { MintRequest, MintedTokenWire, TokenMinter } from '../../src/core/tokens';
import { FakeClock, flushMicrotasks } from './fakeClock';
import { FakeTransportFactory, type FakeTransport } from './fakeTransport';

export const TEST_MODEL = 'gemini-live-2.5-flash-preview';
export const TEST_API_KEY = 'AIzaSyTEST-0123456789abcdefghijklmnop';

// ------------------------------------------------------------------ options

export type SessionOptionOverrides = Partial<Omit<LiveSessionOptions, 'setup'>> & { setup?: Partial<SetupOptions> };

export function sessionOptions(overrides: SessionOptionOverrides = {}): LiveSessionOptions {
  const { setup, ...rest } = overrides;
  return {
    ...DEFAULT_SESSION_OPTIONS,
    ...rest,
    setup: { model: TEST_MODEL, responseModality: 'TEXT', ...setup },
  };
}

// ------------------------------------------------------------------ server frames

export function setupComplete(): ServerFrame {
  return { setupComplete: {} };
}

/** Model text chunks only (no completion). */
export function modelChunks(...texts: string[]): ServerFrame[] {
  return texts.map((text) => ({ serverContent: { modelTurn: { parts: [{ text }] } } }));
}

export function generationComplete(): ServerFrame {
  return { serverContent: { generationComplete: true } };
}

export function turnComplete(totalTokenCount = 100): ServerFrame {
  return {
    serverContent: { turnComplete: true },
    usageMetadata: { promptTokenCount: totalTokenCount - 10, responseTokenCount: 10, totalTokenCount },
  };
}

/**
 * A whole text answer in the recorded order: modelTurn chunk(s), generationComplete,
 * then turnComplete with usageMetadata.
 */
export function textReply(text: string | string[], totalTokenCount = 100): ServerFrame[] {
  const chunks = Array.isArray(text) ? text : [text];
  return [...modelChunks(...chunks), generationComplete(), turnComplete(totalTokenCount)];
}

export function resumptionUpdate(handle: string, resumable = true): ServerFrame {
  return { sessionResumptionUpdate: { newHandle: handle, resumable } };
}

export function goAway(timeLeft: string = '10s'): ServerFrame {
  return { goAway: { timeLeft } };
}

// ------------------------------------------------------------------ client messages

/** The text turns of `clientContent` messages, as `{ texts, turnComplete }`. */
export function clientContents(sent: readonly ClientMessage[]): Array<{ turns: Content[]; turnComplete: boolean | undefined }> {
  return sent.flatMap((m) => (m.clientContent ? [{ turns: m.clientContent.turns as Content[], turnComplete: m.clientContent.turnComplete }] : []));
}

/** The texts of user turns sent as new requests (`turnComplete: true`). */
export function requestedTexts(sent: readonly ClientMessage[]): string[] {
  return clientContents(sent)
    .filter((c) => c.turnComplete === true)
    .flatMap((c) => c.turns.flatMap((t) => (t.parts ?? []).map((p) => p.text ?? '')));
}

export function audioChunks(sent: readonly ClientMessage[]): string[] {
  return sent.flatMap((m) => (m.realtimeInput?.audio?.data ? [m.realtimeInput.audio.data] : []));
}

// ------------------------------------------------------------------ random

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed = 42): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ------------------------------------------------------------------ token minter

/** A TokenMinter that hands out `auth_tokens/tokN…` names and records every request. */
export class FakeTokenMinter implements TokenMinter {
  readonly requests: MintRequest[] = [];
  /** Set to make the next mints fail with this error. */
  failWith: unknown;
  /** When set, mints stay pending until `releaseMints()`. */
  hold = false;
  private held: Array<() => void> = [];

  async mint(request: MintRequest): Promise<MintedTokenWire> {
    this.requests.push(request);
    const n = this.requests.length;
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.failWith !== undefined) throw this.failWith;
    return {
      name: `auth_tokens/tok${n}-abcdefghijklmnop`,
      expireTime: request.expireTime,
      newSessionExpireTime: request.newSessionExpireTime,
      uses: request.uses,
    };
  }

  releaseMints(): void {
    const held = this.held;
    this.held = [];
    for (const r of held) r();
  }
}

// ------------------------------------------------------------------ a wired session

export interface SessionHarness {
  session: LiveSession;
  clock: FakeClock;
  factory: FakeTransportFactory;
  /** Every event the session emitted, in order. */
  events: SessionEvent[];
  /** Events without `stateChanged`. */
  readonly mainEvents: SessionEvent[];
  eventsOf<K extends SessionEvent['type']>(type: K): Array<Extract<SessionEvent, { type: K }>>;
  /** Lets pending promise continuations run. */
  flush(): Promise<void>;
  /** connect(), upgrade, answer the setup; resolves once connected. Returns the transport. */
  connectNow(): Promise<FakeTransport>;
  /** Sends `text` and answers it completely with `answer` on the current transport. */
  askAndAnswer(text: string, answer: string): Promise<number>;
}

export interface HarnessOptions {
  options?: SessionOptionOverrides;
  credentials?: CredentialSource;
  clock?: FakeClock;
  random?: Random;
  restored?: LiveSessionDeps['restored'];
  logger?: Logger;
}

export function makeSession(h: HarnessOptions = {}): SessionHarness {
  const clock = h.clock ?? new FakeClock();
  const factory = new FakeTransportFactory();
  const session = new LiveSession(sessionOptions(h.options), {
    transports: factory,
    credentials: h.credentials ?? new ApiKeyCredentials(TEST_API_KEY),
    clock,
    random: h.random ?? seededRandom(7),
    logger: h.logger ?? nullLogger,
    restored: h.restored,
  });
  const events: SessionEvent[] = [];
  session.onDidEmit((e) => events.push(e));
  const harness: SessionHarness = {
    session,
    clock,
    factory,
    events,
    get mainEvents() {
      return events.filter((e) => e.type !== 'stateChanged');
    },
    eventsOf<K extends SessionEvent['type']>(type: K) {
      return events.filter((e): e is Extract<SessionEvent, { type: K }> => e.type === type);
    },
    flush: () => flushMicrotasks(),
    async connectNow() {
      const connected = session.connect();
      await flushMicrotasks();
      const t = factory.last;
      t.serverSends(setupComplete());
      await connected;
      return t;
    },
    async askAndAnswer(text, answer) {
      const turn = session.sendText(text);
      await flushMicrotasks();
      factory.last.serverSends(...textReply(answer));
      await flushMicrotasks();
      return turn;
    },
  };
  return harness;
}
