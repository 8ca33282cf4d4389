/**
 * Every decision of a Live session, as one pure function:
 * `transition(state, input, context) → { state, effects }`.
 *
 * No await, no timers, no I/O: sockets and timers are ids and names, and the driver
 * (`LiveSession`) carries the effects out and feeds what happens back as inputs. A late event
 * from a socket the session has left finds a state that no longer names it and does nothing;
 * that one check replaces the "has the state moved on?" tests after every await.
 *
 * The effect lists are ordered for the driver's one rule: it stores the new state first, then
 * runs the effects in order, and a listener that calls back into the session (say, sends a turn
 * on `connected`) starts a nested transition from that stored state. So where a transition both
 * sends and emits, it sends first: a listener's message always goes out after ours.
 */
import { MoonTalkError, errorMessage, isMoonTalkError } from '../common/errors';
import { ExponentialBackoff } from './backoff';
import { classifySetupRefusal, fatalCloseKind } from './closePolicy';
import { toWireCompression } from './compression';
import { parseDurationMs } from './duration';
import { groundingFromMetadata } from './grounding';
import { buildClientContent, buildSetup, buildToolResponse, buildUserTurn, userText, type ClientMessage, type FunctionResponse, type Part, type ServerFrame } from './messages';
import { shutDownModel } from './models';
import type { LiveSessionOptions, ResumptionSnapshot } from './sessionOptions';
import type { CloseInfo, Random } from './ports';
import type { HandoffReason, SessionEvent } from './sessionEvents';
import { TurnLedger } from './turnLedger';
import {
  TIMER_NAMES,
  currentLink,
  publicState,
  settledLedger,
  usableHandle,
  type Context,
  type Effect,
  type Input,
  type LinkId,
  type PendingCall,
  type Phase,
  type Standby,
  type State,
  type Stats,
  type Step,
  type TimerName,
  type TurnFlags,
} from './sessionState';

/** The largest delay a JavaScript timer takes; longer ones fire at once (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The parts of a frame without any (shared: a frame without parts allocates nothing). */
const NO_PARTS: readonly Part[] = [];

/** Tool calls remembered at most (oldest forgotten first): calls nobody answers must not grow memory. */
const MAX_PENDING_CALLS = 256;

type Connecting = Extract<Phase, { kind: 'connecting' }>;
type HandingOff = Extract<Phase, { kind: 'handingOff' }>;

/** One transition's scratch: the effects so far, and whether the ledger in hand is already our copy. */
interface Tx {
  readonly ctx: Context;
  fx: Effect[];
  ownsLedger: boolean;
}

export function transition(state: State, input: Input, ctx: Context): Step {
  const tx: Tx = { ctx, fx: [], ownsLedger: false };
  const next = step(state, input, tx);
  return { state: next, effects: tx.fx };
}

function step(s: State, input: Input, tx: Tx): State {
  const p = s.phase;
  switch (input.type) {
    case 'connect':
      return onConnect(s, tx);
    case 'close':
      return onClose(s, tx);
    case 'sendText':
      s = ownLedger(s, tx);
      s.ledger.enqueue(input.text);
      return pump(s, tx);
    case 'sendRealtime':
      return onRealtime(s, input.message, input.bytes, tx);
    case 'toolResponse':
      return onToolResponse(s, input.responses, tx);
    case 'refresh':
      return p.kind === 'connected' ? beginHandoff(s, p, input.reason, input.deadline, tx) : s;
    case 'setCompression':
      return patch(s, { compression: { ...input.config } });
    case 'opened':
      return onOpened(s, input.link, tx);
    case 'openFailed':
      return onOpenFailed(s, input.link, input.stage, input.error, tx);
    case 'frame':
      return onFrame(s, input.link, input.frame, tx);
    case 'badFrame':
      if (currentLink(p) !== input.link) return s;
      log(tx, 'warn', `dropped a server frame we could not parse (${input.bytes} bytes): ${input.error}`);
      emit(tx, { type: 'error', error: new MoonTalkError('protocol', `Ignored a malformed server frame: ${input.error}`), fatal: false });
      return s;
    case 'linkClosed':
      return onLinkClosed(s, input.link, input.info, tx);
    case 'closeDone':
      return onCloseDone(s, input.link, tx);
    case 'timer':
      return onTimer(s, input.name, tx);
    case 'crashed':
      if (p.kind === 'closed' || p.kind === 'failed') return s;
      return fail(s, new MoonTalkError('protocol', `The session stopped on an internal error: ${errorMessage(input.error)}`, { cause: input.error }), tx);
    default: {
      const never: never = input;
      return never;
    }
  }
}

// ---------------------------------------------------------------- user calls

function onConnect(s: State, tx: Tx): State {
  const p = s.phase;
  if (p.kind === 'connected' || p.kind === 'handingOff') {
    tx.fx.push({ type: 'settleConnect' });
    return s;
  }
  if (p.kind !== 'idle' && p.kind !== 'closed' && p.kind !== 'failed') return s; // joins the attempt in progress
  if (p.kind === 'closed' && !p.finished) s = finishClose(s, tx);
  s = patch(s, { backoff: s.backoff.reset() });
  return startAttempt(s, { kind: 'connecting', credentialRetried: false }, undefined, tx);
}

function onClose(s: State, tx: Tx): State {
  const p = s.phase;
  if (p.kind === 'closed') return s;
  const closing: LinkId[] = [];
  const live = p.kind === 'connected' || p.kind === 'handingOff' ? p.link : p.kind === 'connecting' && p.attempt?.opened ? p.attempt.link : undefined;
  if (live !== undefined) {
    tx.fx.push({ type: 'close', link: live, code: 1000, reason: 'client closed' });
    closing.push(live);
  }
  disposeStandby(p, tx);
  cancelAllTimers(tx);
  s = setPhase(s, { kind: 'closed', closing, finished: false }, tx);
  return closing.length === 0 ? finishClose(s, tx) : s;
}

/** Every socket we closed has finished closing: tell waiters and listeners. */
function finishClose(s: State, tx: Tx): State {
  tx.fx.push({ type: 'settleConnect', error: new MoonTalkError('closed', 'The session was closed before it connected.') });
  emit(tx, { type: 'closed' });
  tx.fx.push({ type: 'settleClose' });
  return patch(s, { phase: { kind: 'closed', closing: [], finished: true }, lastConnectionEndedAt: tx.ctx.now });
}

function onRealtime(s: State, message: ClientMessage, bytes: number, tx: Tx): State {
  const p = s.phase;
  if (p.kind === 'connected' && s.audio.length === 0) {
    send(tx, p.link, message);
    return s;
  }
  const audio = [...s.audio, { message, bytes }];
  let audioBytes = s.audioBytes + bytes;
  let dropped = 0;
  while (audioBytes > tx.ctx.options.maxBufferedAudioBytes && audio.length > 1) {
    const oldest = audio.shift()!;
    audioBytes -= oldest.bytes;
    dropped += oldest.bytes;
  }
  if (dropped > 0) emit(tx, { type: 'audioDropped', bytes: dropped });
  return patch(s, { audio, audioBytes });
}

function onToolResponse(s: State, responses: readonly FunctionResponse[], tx: Tx): State {
  const p = s.phase;
  if (p.kind !== 'connected' && p.kind !== 'handingOff') return s;
  const pendingCalls = new Map(s.pendingCalls);
  const here: FunctionResponse[] = [];
  const late: FunctionResponse[] = [];
  let spoken = 0;
  for (const r of responses) {
    const call = r.id ? pendingCalls.get(r.id) : undefined;
    // A `willContinue: true` response is a progress report: the call stays pending until the final one.
    if (r.id && !r.willContinue) pendingCalls.delete(r.id);
    if (call?.link === p.link && bringsSpokenReply(s, call, r, tx)) spoken++;
    // A response goes only to the connection the call came on: another one never saw the call.
    if (call === undefined || call.link === p.link) here.push(r);
    else if (!call.blocking && !r.willContinue) late.push(r);
    // A blocking call's turn is resent after the switch and the model asks again; that repeat gets the answer.
    else log(tx, 'info', `dropped a tool response for a call from an earlier connection (${r.name ?? r.id})`);
  }
  if (here.length > 0) send(tx, p.link, buildToolResponse(here));
  if (late.length > 0) s = sendLateResults(s, p.link, late, tx);
  if (spoken > 0) {
    if (s.turn.toolReplies === 0) startTimer(tx, 'toolReply', toolReplyWaitMs(tx));
    s = patch(s, { turn: withTurn(s.turn, { toolReplies: s.turn.toolReplies + spoken }) });
  }
  return maybeSwitch(patch(s, { pendingCalls }), tx).state;
}

/**
 * Final results of background (NON_BLOCKING) calls made on a connection the session has since
 * left (a goAway or drop while the tool ran or waited for the user's Allow): the new connection
 * never saw the call id, so the results go as content instead. Only models with background
 * calls get here, and those take `clientContent` all session (the table of models). Idle, it is a
 * turn the model answers (a spoken result, waited for like one); while a turn is in flight it
 * joins the context (`turnComplete: true` would cut that answer off).
 */
function sendLateResults(s: State, link: LinkId, late: readonly FunctionResponse[], tx: Tx): State {
  const text = `Results of tools you called before the connection changed: ${late.map((r) => `${r.name ?? r.id}: ${JSON.stringify(r.response ?? null)}`).join('; ')}`;
  const speak = !s.ledger.inFlight() && late.some((r) => (r.scheduling ?? 'WHEN_IDLE') !== 'SILENT');
  log(tx, 'info', `answered ${late.length} tool call(s) from an earlier connection as content`);
  send(tx, link, buildClientContent([userText(text)], speak));
  if (!speak) return s;
  if (s.turn.toolReplies === 0) startTimer(tx, 'toolReply', toolReplyWaitMs(tx));
  return patch(s, { turn: withTurn(s.turn, { toolReplies: s.turn.toolReplies + 1 }) });
}

/**
 * Whether the model will speak about this response as a turn of its own: a final response
 * (not `willContinue`) to a NON_BLOCKING call, scheduled WHEN_IDLE (the service's default) or
 * INTERRUPT. SILENT results only join the context. An INTERRUPT while a turn is in flight
 * is folded into that turn's answer (the service cuts the running output and speaks the
 * result in its place), so it brings no turn of its own.
 */
function bringsSpokenReply(s: State, call: PendingCall, r: FunctionResponse, tx: Tx): boolean {
  if (r.willContinue || call.blocking || !tx.ctx.profile.supportsNonBlockingTools) return false;
  const scheduling = r.scheduling ?? 'WHEN_IDLE';
  if (scheduling === 'SILENT') return false;
  return !(scheduling === 'INTERRUPT' && s.ledger.inFlight());
}

/** A function's behavior: as declared in the setup, else the model's default (the table of models). */
function callBehavior(name: string | undefined, tx: Tx): 'BLOCKING' | 'NON_BLOCKING' {
  const declared = tx.ctx.options.setup.tools?.flatMap((t) => ('functionDeclarations' in t ? (t.functionDeclarations ?? []) : [])).find((d) => d.name === name)?.behavior;
  return declared === 'BLOCKING' || declared === 'NON_BLOCKING' ? declared : tx.ctx.profile.defaultToolBehavior;
}

/** How long user turns wait for a spoken tool result before they go anyway. */
function toolReplyWaitMs(tx: Tx): number {
  return tx.ctx.options.responseTimeoutMs > 0 ? tx.ctx.options.responseTimeoutMs : 30_000;
}

// ---------------------------------------------------------------- opening sockets

/**
 * Asks for a socket for `conn`: the newest handle still valid (an expired one is dropped here,
 * at the moment a connection is attempted), a credential fit for it, then the upgrade.
 */
function startAttempt(s: State, conn: Connecting, replacing: LinkId | undefined, tx: Tx): State {
  const r = resolveHandle(s, tx);
  s = r.state;
  const link = s.nextLink;
  tx.fx.push({ type: 'open', link, purpose: r.handle ? 'resume' : 'newSession', replacing });
  return setPhase(patch(s, { nextLink: link + 1 }), { ...conn, attempt: { link, opened: false, handle: r.handle, warm: false }, waiting: undefined, standby: undefined }, tx);
}

/** The handle for a connection made now; drops one past its lifetime and says so. */
function resolveHandle(s: State, tx: Tx): { state: State; handle: string | undefined } {
  const { options, now } = tx.ctx;
  const handle = usableHandle(s, options, now);
  if (handle || !options.resumption || !s.ledger.handle) return { state: s, handle };
  log(tx, 'info', 'the resumption handle has expired; a fresh session will start');
  s = ownLedger(s, tx);
  s.ledger.dropHandle();
  emit(tx, { type: 'resumeFailed', reason: 'expired: the handle is older than its lifetime' });
  return { state: patch(s, { stats: withStats(s.stats, { resumeFailures: s.stats.resumeFailures + 1 }) }), handle: undefined };
}

function sendSetup(s: State, link: LinkId, handle: string | undefined, tx: Tx): void {
  const { options, profile } = tx.ctx;
  const resumption = options.resumption ? { handle } : undefined;
  // A fresh session that will get earlier turns as initial history must say so in its setup.
  const seedsHistory = !handle && profile.historySeeding === 'initialHistory' && settledLedger(s).clone().planReconnect(false).context.length > 0;
  log(tx, 'debug', `sending setup${handle ? ' with a resumption handle' : ''}`);
  send(tx, link, buildSetup(options.setup, resumption, toWireCompression(s.compression), { seedsHistory }));
  startTimer(tx, 'setup', options.setupTimeoutMs);
}

function onOpened(s: State, link: LinkId, tx: Tx): State {
  const p = s.phase;
  if (p.kind === 'connecting' && p.attempt?.link === link && !p.attempt.opened) {
    sendSetup(s, link, p.attempt.handle, tx);
    return patch(s, { phase: { ...p, attempt: { ...p.attempt, opened: true } } });
  }
  if (p.kind === 'handingOff' && p.standby.status === 'warming' && p.standby.link === link) {
    return maybeSwitch(patch(s, { phase: { ...p, standby: { status: 'ready', link } } }), tx).state;
  }
  if (p.kind === 'connecting' && p.standby?.status === 'warming' && p.standby.link === link) {
    if (p.waiting === 'standby') {
      cancelTimer(tx, 'standbyWait');
      return setupOnStandby(s, p, { status: 'ready', link }, tx);
    }
    return patch(s, { phase: { ...p, standby: { status: 'ready', link } } });
  }
  // Closed, failed or superseded while it opened: this socket is nobody's.
  tx.fx.push({ type: 'dispose', link });
  return s;
}

function onOpenFailed(s: State, link: LinkId, stage: 'credential' | 'replace' | 'open', err: unknown, tx: Tx): State {
  const p = s.phase;
  if (p.kind === 'handingOff' && p.standby.status === 'warming' && p.standby.link === link) {
    log(tx, 'warn', `warm standby failed: ${errorMessage(err)}; the switch will connect cold`);
    return maybeSwitch(patch(s, { phase: { ...p, standby: { status: 'none' } } }), tx).state;
  }
  if (p.kind === 'connecting' && p.standby?.status === 'warming' && p.standby.link === link) {
    if (p.waiting !== 'standby') return patch(s, { phase: { ...p, standby: { status: 'none' } } });
    cancelTimer(tx, 'standbyWait');
    return startAttempt(s, p, undefined, tx);
  }
  if (p.kind !== 'connecting' || p.attempt?.link !== link || p.attempt.opened) return s;
  if (stage === 'credential' && isMoonTalkError(err, 'badKey')) return fail(s, err, tx); // the key was refused while minting: nothing to replace
  if (stage === 'replace') return credentialFailed(s, p.refusal ?? { code: 401, reason: errorMessage(err) }, tx);
  if (isMoonTalkError(err, 'badKey') || isMoonTalkError(err, 'tokenRefused')) return credentialRefused(s, p, { code: err.details.code ?? 401, reason: err.message }, tx);
  if (isMoonTalkError(err) && err.details.code === 429) return fail(s, quotaError(429, err.message), tx);
  return scheduleReconnect(s, { code: 1006, reason: errorMessage(err) }, tx);
}

/** The server refused a credential: retry once with a fresh one (tokens), else fail. */
function credentialRefused(s: State, p: Connecting, refusal: CloseInfo, tx: Tx): State {
  if (p.credentialRetried) return credentialFailed(s, refusal, tx);
  log(tx, 'info', `credential refused (${refusal.code}); retrying once with a fresh one`);
  return startAttempt(s, { ...p, credentialRetried: true, refusal }, p.attempt?.link, tx);
}

function credentialFailed(s: State, { code, reason }: CloseInfo, tx: Tx): State {
  const error =
    tx.ctx.credentialMode === 'apiKey'
      ? new MoonTalkError('badKey', `The server refused the API key (${code}: ${reason}). Check GEMINI_API_KEY.`, { code })
      : new MoonTalkError('tokenRefused', `The server refused the ephemeral token (${code}: ${reason}), and a fresh one was refused too.`, { code });
  return fail(s, error, tx);
}

// ---------------------------------------------------------------- closes and drops

function onLinkClosed(s: State, link: LinkId, info: CloseInfo, tx: Tx): State {
  const p = s.phase;
  // A standby that dies before use is forgotten; the switch then connects cold.
  if ((p.kind === 'handingOff' || p.kind === 'connecting') && p.standby?.status === 'ready' && p.standby.link === link) {
    return patch(s, { phase: { ...p, standby: { status: 'none' } } });
  }
  if (currentLink(p) !== link) return s;
  log(tx, 'info', `connection closed: ${info.code} ${info.reason}`);
  if (p.kind === 'handingOff') {
    // The old socket ended before the switch (deadline reached, or a drop): switch now.
    emit(tx, { type: 'disconnected', code: info.code, reason: info.reason, willReconnect: true });
    return switchConnections(patch(s, { lastConnectionEndedAt: tx.ctx.now }), p, true, tx);
  }
  if (p.kind === 'connecting') return onSetupRefused(s, p, info, tx);
  // A drop of a live connection.
  cancelTimer(tx, 'uptime', 'response');
  s = patch(s, { lastConnectionEndedAt: tx.ctx.now });
  const fatal = fatalCloseKind(info.code, info.reason);
  if (fatal) return fail(s, fatal === 'quota' ? quotaError(info.code, info.reason) : modelNotFoundError(tx, info), tx);
  return scheduleReconnect(s, info, tx);
}

/** The server closed a socket before accepting its setup; closePolicy.ts says what that means. */
function onSetupRefused(s: State, p: Connecting, info: CloseInfo, tx: Tx): State {
  const attempt = p.attempt!;
  cancelTimer(tx, 'setup');
  const raced = p.handoff !== undefined && p.old !== undefined && tx.ctx.options.handoffCloseWait === 'frame';
  switch (classifySetupRefusal(info.code, { handoffWithOldSocketClosing: raced, resumedWithHandle: !!attempt.handle }, info.reason)) {
    case 'failModelNotFound':
      return fail(s, modelNotFoundError(tx, info), tx);
    case 'failQuota':
      return fail(s, quotaError(info.code, info.reason), tx);
    case 'retryAfterOldSocketCloses': {
      // The service saw our setup before our close frame: retry once, as soon as that close is done.
      log(tx, 'info', 'resume refused while the old socket was closing; retrying after its close');
      const conn: Connecting = { kind: 'connecting', handoff: p.handoff, credentialRetried: false };
      if (p.old!.closed) return startAttempt(s, conn, undefined, tx);
      return setPhase(s, { ...conn, old: p.old, waiting: 'oldCloseThenRetry' }, tx);
    }
    case 'replaceCredential':
      return credentialRefused(s, p, info, tx);
    case 'startFresh': {
      s = ownLedger(s, tx);
      s.ledger.dropHandle();
      log(tx, 'warn', `resumption handle refused (${info.reason}); starting a fresh session`);
      emit(tx, { type: 'resumeFailed', reason: info.reason || 'handle refused' });
      emit(tx, { type: 'disconnected', code: info.code, reason: info.reason, willReconnect: true });
      s = patch(s, { stats: withStats(s.stats, { resumeFailures: s.stats.resumeFailures + 1 }) });
      return startAttempt(s, { kind: 'connecting', credentialRetried: false }, undefined, tx);
    }
    case 'failBadSetup':
      return fail(s, new MoonTalkError('badSetup', `The server rejected the session setup (1007: ${info.reason}).`, { code: 1007 }), tx);
    case 'reconnect':
      return scheduleReconnect(s, info, tx);
  }
}

function onCloseDone(s: State, link: LinkId, tx: Tx): State {
  const p = s.phase;
  if (p.kind === 'closed') {
    if (!p.closing.includes(link)) return s;
    const closing = p.closing.filter((l) => l !== link);
    s = patch(s, { phase: { ...p, closing } });
    return closing.length === 0 && !p.finished ? finishClose(s, tx) : s;
  }
  s = patch(s, { lastConnectionEndedAt: tx.ctx.now });
  if (p.kind !== 'connecting' || p.old?.link !== link) return s;
  const conn: Connecting = { ...p, old: { link, closed: true } };
  if (p.waiting === 'oldClose') {
    emit(tx, { type: 'disconnected', code: 1000, reason: 'handoff', willReconnect: true });
    return setupOnStandby(s, { ...conn, waiting: undefined, standby: undefined }, p.standby ?? { status: 'none' }, tx);
  }
  if (p.waiting === 'oldCloseThenRetry') return startAttempt(s, { kind: 'connecting', handoff: p.handoff, credentialRetried: false }, undefined, tx);
  return patch(s, { phase: conn });
}

function scheduleReconnect(s: State, info: CloseInfo, tx: Tx): State {
  if (s.backoff.exhausted) {
    emit(tx, { type: 'disconnected', code: info.code, reason: info.reason, willReconnect: false });
    const text = `Could not reconnect after ${s.backoff.attempt} attempts (last: ${info.code} ${info.reason}). Your conversation is kept; connect again to resume.`;
    return fail(s, new MoonTalkError('gaveUp', text, { code: info.code, closeReason: info.reason }), tx);
  }
  emit(tx, { type: 'disconnected', code: info.code, reason: info.reason, willReconnect: true });
  const { delayMs, backoff } = s.backoff.next();
  s = patch(s, { backoff, stats: withStats(s.stats, { reconnects: s.stats.reconnects + 1 }) });
  startTimer(tx, 'reconnect', delayMs);
  s = setPhase(s, { kind: 'reconnecting', attempt: backoff.attempt, delayMs }, tx);
  emit(tx, { type: 'reconnecting', attempt: backoff.attempt, delayMs });
  return s;
}

function fail(s: State, error: MoonTalkError, tx: Tx): State {
  const p = s.phase;
  const link = currentLink(p);
  if (link !== undefined && !(p.kind === 'connecting' && !p.attempt?.opened)) tx.fx.push({ type: 'dispose', link });
  disposeStandby(p, tx);
  cancelAllTimers(tx);
  s = setPhase(s, { kind: 'failed', error }, tx);
  log(tx, 'error', error.message);
  emit(tx, { type: 'error', error, fatal: true });
  tx.fx.push({ type: 'settleConnect', error });
  return s;
}

function modelNotFoundError(tx: Tx, info: CloseInfo): MoonTalkError {
  const model = tx.ctx.profile.id;
  const gone = shutDownModel(model);
  const advice = gone ? ` It was shut down on ${gone.status.date ?? 'an earlier date'}; use ${gone.status.replacement ?? 'a current model'} instead.` : ' Check the model name.';
  return new MoonTalkError('modelNotFound', `The Live API does not serve the model ${model} (${info.code}: ${info.reason}).${advice}`, { code: info.code, model });
}

function quotaError(code: number, reason: string): MoonTalkError {
  return new MoonTalkError('quota', `The Live API quota is used up or rate-limited (${code}: ${reason}). Try again later.`, { code, closeReason: reason });
}

// ---------------------------------------------------------------- timers

function onTimer(s: State, name: TimerName, tx: Tx): State {
  const p = s.phase;
  switch (name) {
    case 'setup':
      if (p.kind !== 'connecting' || !p.attempt?.opened) return s;
      log(tx, 'warn', `no setupComplete within ${tx.ctx.options.setupTimeoutMs} ms`);
      tx.fx.push({ type: 'dispose', link: p.attempt.link });
      return scheduleReconnect(s, { code: 1006, reason: 'setup timed out' }, tx);
    case 'reconnect':
      if (p.kind === 'handingOff' && p.standby.status === 'deferred') return openStandby(s, p, tx);
      return p.kind === 'reconnecting' ? startAttempt(s, { kind: 'connecting', credentialRetried: false }, undefined, tx) : s;
    case 'deadline':
      if (p.kind !== 'handingOff') return s;
      log(tx, 'info', 'goAway deadline is near; switching connections without waiting for the turn to end');
      return switchConnections(s, p, false, tx);
    case 'handleGrace':
      return p.kind === 'handingOff' ? maybeSwitch(patch(s, { phase: { ...p, graceOver: true, graceRunning: false } }), tx).state : s;
    case 'standbyWait':
      return p.kind === 'connecting' && p.waiting === 'standby' ? startAttempt(s, p, undefined, tx) : s;
    case 'uptime':
      // A connection that stayed up long enough has proved itself (reconnecting-websocket's minUptime).
      return p.kind === 'connected' || p.kind === 'handingOff' ? patch(s, { backoff: s.backoff.reset() }) : s;
    case 'response':
      return onResponseTimer(s, tx);
    case 'toolReply':
      if (s.turn.toolReplies === 0) return s;
      log(tx, 'info', `a spoken tool result did not come within ${toolReplyWaitMs(tx)} ms; going on without it`);
      {
        // The wait held the turn boundary too: a handoff waiting on it switches now.
        const r = maybeSwitch(patch(s, { turn: withTurn(s.turn, { toolReplies: 0 }) }), tx);
        return r.switched ? r.state : pump(r.state, tx);
      }
    default: {
      const never: never = name;
      return never;
    }
  }
}

// ---------------------------------------------------------------- frames

/**
 * The frames that arrive by the thousand: model output for the turn in flight, on the live
 * link: parts that are each model text or audio, and/or an output transcription, with nothing
 * else in the frame and no turn flag for it to reset. What `transition` does with such a frame
 * is fixed: its text (model text parts, then the transcription) joins `streamed`
 * (`appendOutput`), and it emits one `text` or `audio` event per part and one `text` event for
 * the transcription, in that order (`outputEvents`). The driver asks this first and, on a
 * hit, applies exactly that without a whole transition (an input, a step, a context, an
 * effect list and a walk past every other field of the frame). Audio answers through the whole
 * transition cost 0.43 µs per frame against 0.25 for the one-class core before the reshape;
 * through this path 0.27 against 0.31 (`npm run bench -- core-ab`, the core alone). Anything
 * else, or any doubt, returns false and goes through `transition`. The
 * checks mirror `onFrame`: every field it reads must be absent, every part must be one it
 * turns into an event.
 */
export function plainOutput(s: State, link: LinkId, frame: ServerFrame): boolean {
  const p = s.phase;
  if ((p.kind !== 'connected' && p.kind !== 'handingOff') || p.link !== link) return false;
  if (!s.turn.heard || s.turn.strayTurnComplete) return false;
  const content = frame.serverContent;
  if (
    content === undefined ||
    frame.setupComplete ||
    frame.usageMetadata ||
    frame.toolCall ||
    frame.toolCallCancellation ||
    frame.sessionResumptionUpdate ||
    frame.goAway ||
    content.inputTranscription ||
    content.interrupted ||
    content.generationComplete ||
    content.waitingForInput ||
    content.groundingMetadata ||
    content.turnComplete ||
    content.interactionStatus !== undefined
  ) {
    return false;
  }
  const parts = content.modelTurn?.parts;
  if (parts !== undefined) {
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (!isModelText(part) && !part.inlineData?.data) return false;
    }
  }
  return s.ledger.inFlight() !== undefined;
}

/** A part `onFrame` streams as model text (checked before audio: a part with both is text). */
function isModelText(part: Part): part is Part & { text: string } {
  return typeof part.text === 'string' && part.text !== '' && !part.thought;
}

/** The state after a `plainOutput` frame, as `transition` leaves it: its text appended to `streamed`. */
export function appendOutput(s: State, frame: ServerFrame): State {
  const content = frame.serverContent!;
  const parts = content.modelTurn?.parts;
  let text = '';
  if (parts !== undefined) for (let i = 0; i < parts.length; i++) if (isModelText(parts[i]!)) text += parts[i]!.text;
  const said = content.outputTranscription?.text;
  if (said) text += said;
  return text ? appendText(s, text) : s;
}

/**
 * The events of a `plainOutput` frame, in the order `transition` emits them, handed to `sink`
 * one by one (no list is built per frame). `s` is the state `appendOutput` returned.
 */
export function outputEvents(s: State, frame: ServerFrame, sink: (event: SessionEvent) => void): void {
  const content = frame.serverContent!;
  const parts = content.modelTurn?.parts;
  if (parts !== undefined) {
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      sink(isModelText(part) ? textEvent(s, part.text, 'model') : audioEvent(s.ledger.inFlight()!.turn, part.inlineData!));
    }
  }
  const said = content.outputTranscription?.text;
  if (said) sink(textEvent(s, said, 'outputTranscription'));
}

/** The state after model text for the turn in flight. */
function appendText(s: State, text: string): State {
  // Per frame: a literal, not patch(), which tests every field.
  return {
    phase: s.phase,
    ledger: s.ledger,
    backoff: s.backoff,
    compression: s.compression,
    audio: s.audio,
    audioBytes: s.audioBytes,
    pendingCalls: s.pendingCalls,
    turn: s.turn,
    streamed: s.streamed + text,
    lastConnectionEndedAt: s.lastConnectionEndedAt,
    nextLink: s.nextLink,
    stats: s.stats,
  };
}

/** The event for model text of the turn in flight. */
function textEvent(s: State, text: string, source: 'model' | 'outputTranscription'): SessionEvent {
  return { type: 'text', turn: s.ledger.inFlight()!.turn, text, source };
}

/** The event for a chunk of the model's audio. */
function audioEvent(turn: number, data: NonNullable<Part['inlineData']>): SessionEvent {
  return { type: 'audio', turn, data: data.data!, mimeType: data.mimeType ?? 'audio/pcm;rate=24000' };
}

function onFrame(s: State, link: LinkId, frame: ServerFrame, tx: Tx): State {
  const p = s.phase;
  // The hot path: a frame on the live link (checked first, without a call).
  if (!((p.kind === 'connected' || p.kind === 'handingOff') && p.link === link) && currentLink(p) !== link) return s;
  if (!s.turn.heard) s = patch(s, { turn: withTurn(s.turn, { heard: true }) });
  if (frame.setupComplete) return p.kind === 'connecting' && p.attempt?.opened ? onSetupComplete(s, p, tx) : s;
  if (p.kind !== 'connected' && p.kind !== 'handingOff') {
    log(tx, 'warn', 'a server frame arrived before setupComplete; ignored');
    return s;
  }
  const content = frame.serverContent;
  if (content) {
    const parts = content.modelTurn?.parts ?? NO_PARTS;
    if ((parts.length > 0 || content.outputTranscription || content.inputTranscription || frame.toolCall) && s.turn.strayTurnComplete) {
      s = patch(s, { turn: withTurn(s.turn, { strayTurnComplete: false }) });
    }
    // Every part of the event: 3.x models put audio and text in one event.
    for (const part of parts) {
      if (isModelText(part)) {
        s = streamAnswer(s, part.text, tx);
        emit(tx, textEvent(s, part.text, 'model'));
      } else if (part.inlineData?.data) {
        if (!s.ledger.inFlight()) s = ownLedger(s, tx);
        const t = s.ledger.turnForOutput();
        emit(tx, audioEvent(t.turn, part.inlineData));
      }
    }
    if (content.inputTranscription?.text) {
      s = ownLedger(s, tx);
      const t = s.ledger.turnForOutput();
      s.ledger.appendUserTranscript(t, content.inputTranscription.text);
      emit(tx, { type: 'inputTranscription', turn: t.turn, text: content.inputTranscription.text });
    }
    if (content.outputTranscription?.text) {
      s = streamAnswer(s, content.outputTranscription.text, tx);
      emit(tx, textEvent(s, content.outputTranscription.text, 'outputTranscription'));
    }
    if (content.interrupted) {
      const t = s.ledger.inFlight();
      if (t) {
        emit(tx, { type: 'interrupted', turn: t.turn });
        s = endInterruptedTurn(s, tx);
      }
    }
    if (content.generationComplete) {
      const t = s.ledger.inFlight();
      if (t) emit(tx, { type: 'generationComplete', turn: t.turn });
    }
    if (content.waitingForInput) emit(tx, { type: 'waitingForInput', turn: s.ledger.inFlight()?.turn ?? s.ledger.lastTurnNumber });
    if (content.groundingMetadata) {
      const grounding = groundingFromMetadata(content.groundingMetadata);
      if (grounding) emit(tx, { type: 'grounding', turn: s.ledger.inFlight()?.turn ?? s.ledger.lastTurnNumber, ...grounding });
    }
  }
  if (frame.usageMetadata) {
    const total = Number(frame.usageMetadata.totalTokenCount ?? 0);
    s = patch(s, { stats: withStats(s.stats, { lastUsageTotal: total }) });
    // Usage before any turn (a standalone frame) reports turn 0: no turn, none invented.
    emit(tx, { type: 'usage', turn: s.ledger.inFlight()?.turn ?? s.ledger.lastTurnNumber, totalTokenCount: total, usage: frame.usageMetadata });
  }
  if (content?.turnComplete) s = onTurnComplete(s, content.interactionStatus, content.turnCompleteReason, tx);
  else if (content?.interactionStatus === 'IDLE' && s.turn.awaitingIdle) s = completeTurn(s, undefined, tx);
  if (frame.toolCall) s = onToolCall(s, link, frame, tx);
  if (frame.toolCallCancellation) {
    const ids = frame.toolCallCancellation.ids ?? [];
    const pendingCalls = new Map(s.pendingCalls);
    for (const id of ids) pendingCalls.delete(id);
    s = patch(s, { pendingCalls });
    emit(tx, { type: 'toolCallCancellation', ids });
    // Cancellation happens only when the user interrupts the turn (API reference): with no
    // call left pending, the turn is over.
    if (![...pendingCalls.values()].some((c) => c.link === link) && s.ledger.inFlight()) s = endInterruptedTurn(s, tx);
    else s = maybeSwitch(s, tx).state;
  }
  if (frame.sessionResumptionUpdate) {
    const { resumable, newHandle } = frame.sessionResumptionUpdate;
    // Only resumable handles are kept: a `resumable:false` update means resuming now would lose data.
    if (tx.ctx.options.resumption && resumable && newHandle) {
      s = ownLedger(s, tx);
      const covered = s.ledger.recordHandle(newHandle);
      emit(tx, { type: 'resumptionUpdate', resumable: true, coveredThrough: covered });
      s = maybeSwitch(s, tx).state;
    } else {
      emit(tx, { type: 'resumptionUpdate', resumable: false, coveredThrough: s.ledger.coveredThrough });
    }
  }
  if (frame.goAway) s = onGoAway(s, link, parseDurationMs(frame.goAway.timeLeft) ?? 0, tx);
  return s;
}

function onToolCall(s: State, link: LinkId, frame: ServerFrame, tx: Tx): State {
  const calls = frame.toolCall?.functionCalls ?? [];
  const pendingCalls = new Map(s.pendingCalls);
  for (const c of calls) if (c.id) pendingCalls.set(c.id, { link, blocking: callBehavior(c.name, tx) === 'BLOCKING' });
  // Calls from earlier connections are kept (their answers must not go to a new one), bounded.
  for (const id of pendingCalls.keys()) {
    if (pendingCalls.size <= MAX_PENDING_CALLS) break;
    pendingCalls.delete(id);
  }
  if (!s.ledger.inFlight()) s = ownLedger(s, tx);
  const t = s.ledger.turnForOutput();
  const p = s.phase;
  const connection = p.kind === 'connected' || p.kind === 'handingOff' ? p.connection : 0;
  emit(tx, { type: 'toolCall', turn: t.turn, connection, calls: calls.map((c) => ({ id: c.id, name: c.name, args: c.args })) });
  return patch(s, { pendingCalls });
}

function onSetupComplete(s: State, p: Connecting, tx: Tx): State {
  const { now, profile } = tx.ctx;
  const attempt = p.attempt!;
  const resumed = !!attempt.handle;
  const connection = s.stats.connections + 1;
  cancelTimer(tx, 'setup');
  // Plan and send the replay before anyone hears about the connection: a listener that sends a
  // turn on `connected` must find the ledger settled, or that turn would be taken for a
  // cut-off one and sent twice.
  s = settleAnswer(s, tx);
  const plan = s.ledger.planReconnect(resumed);
  if (plan.context.length > 0) {
    if (profile.historySeeding === 'none') {
      // Transcribe/translate take no clientContent (it would be closed with 1007): nothing to seed.
      log(tx, 'info', `not resending ${plan.context.length} context entries: the model takes no history`);
    } else if (profile.historySeeding === 'clientContent' || !resumed) {
      // Seeded history is the first message after setupComplete, before any realtime input.
      log(tx, 'info', `resending ${plan.context.length} context entries the ${resumed ? 'handle does not cover' : 'fresh session lacks'}`);
      send(tx, attempt.link, buildClientContent(plan.context, false));
    } else {
      // Models that take history only at the start of a session: the handle carries it.
      log(tx, 'info', `not resending ${plan.context.length} context entries: the model takes history only in a fresh session`);
    }
  }
  const handoff = p.handoff;
  const stats = withStats(
    s.stats,
    handoff
      ? { connections: connection, startTime: s.stats.startTime ?? now, handoffs: s.stats.handoffs + 1, lastHandoffGapMs: now - handoff.startedAt }
      : { connections: connection, startTime: s.stats.startTime ?? now },
  );
  // A spoken tool result due on the old connection will not come on this one; the response
  // timer starts afresh with the next turn sent here.
  if (s.turn.toolReplies > 0) cancelTimer(tx, 'toolReply');
  cancelTimer(tx, 'response');
  s = patch(s, { stats, turn: withTurn(s.turn, { awaitingIdle: false, toolReplies: 0, watching: false }) });
  // Sends first (cut-off turns, then anything typed meanwhile, then audio), events after.
  const events: Effect[] = [];
  const sends = tx.fx;
  tx.fx = events;
  s = setPhase(s, { kind: 'connected', link: attempt.link, connection, since: now, resumed, proven: false, afterGoAway: handoff?.reason === 'goAway' }, tx);
  emit(tx, { type: 'connected', resumed, connection });
  if (handoff) emit(tx, { type: 'handoff', phase: 'completed', reason: handoff.reason, gapMs: now - handoff.startedAt, warm: attempt.warm });
  for (const t of plan.restarted) emit(tx, { type: 'turnRestarted', turn: t.turn });
  s = pump(s, tx);
  for (const item of s.audio) sends.push({ type: 'send', link: attempt.link, message: item.message });
  s = patch(s, { audio: [], audioBytes: 0 });
  tx.fx = [...sends, ...events.filter((e) => e.type === 'send'), ...events.filter((e) => e.type !== 'send')];
  startTimer(tx, 'uptime', tx.ctx.options.minUptimeMs);
  tx.fx.push({ type: 'settleConnect' });
  return s;
}

// ---------------------------------------------------------------- turns

/** Sends the next queued turn when a connection is live and nothing is in flight. */
function pump(s: State, tx: Tx): State {
  const p = s.phase;
  if (p.kind !== 'connected' || s.turn.toolReplies > 0 || !s.ledger.nextToSend()) return s;
  s = ownLedger(s, tx);
  const next = s.ledger.nextToSend()!;
  s.ledger.markSent(next);
  send(tx, p.link, buildUserTurn(tx.ctx.profile, next.userText));
  emit(tx, { type: 'turnSent', turn: next.turn, text: next.userText });
  return armResponseTimer(s, tx);
}

function onTurnComplete(s: State, status: string | undefined, reason: string | undefined, tx: Tx): State {
  if (status === 'IN_PROGRESS') {
    // More output may follow: the turn ends at IDLE. Seen dynamically, so any model is safe.
    const t = s.ledger.inFlight();
    if (!t || s.turn.awaitingIdle) return s;
    emit(tx, { type: 'thinking', turn: t.turn, inBackground: true });
    return patch(s, { turn: withTurn(s.turn, { awaitingIdle: true }) });
  }
  if (s.turn.strayTurnComplete) {
    log(tx, 'debug', 'turnComplete for an interrupted turn; already ended');
    return patch(s, { turn: withTurn(s.turn, { strayTurnComplete: false }) });
  }
  return completeTurn(s, reason && reason !== 'TURN_COMPLETE_REASON_UNSPECIFIED' ? reason : undefined, tx);
}

function completeTurn(s: State, reason: string | undefined, tx: Tx): State {
  s = settleAnswer(s, tx);
  const done = s.ledger.complete();
  // A turn the model began on its own (no user text) while a spoken tool result was due is that result.
  const spokeResult = s.turn.toolReplies > 0 && done !== undefined && done.origin === 'audio' && !done.userText;
  const toolReplies = spokeResult ? s.turn.toolReplies - 1 : s.turn.toolReplies;
  if (spokeResult && toolReplies === 0) cancelTimer(tx, 'toolReply');
  // A completed turn proves the link works: only consecutive failures exhaust the backoff.
  s = patch(s, { turn: withTurn(s.turn, { awaitingIdle: false, silentStrikes: 0, toolReplies }), backoff: s.backoff.reset(), phase: proven(s.phase) });
  if (done) emit(tx, reason ? { type: 'turnComplete', turn: done.turn, reason } : { type: 'turnComplete', turn: done.turn });
  const r = maybeSwitch(s, tx);
  return r.switched ? r.state : pump(r.state, tx);
}

/**
 * An interrupted turn (barge-in, cancelled tool calls) is over: complete it now, so later
 * turns are not held behind it. Whether the service still sends a turnComplete for it is not
 * documented, so one arriving before any new model output is swallowed.
 */
function endInterruptedTurn(s: State, tx: Tx): State {
  s = settleAnswer(s, tx);
  const done = s.ledger.complete();
  if (!done) return s;
  s = patch(s, { turn: withTurn(s.turn, { strayTurnComplete: true, awaitingIdle: false, silentStrikes: 0 }) });
  emit(tx, { type: 'turnComplete', turn: done.turn });
  const r = maybeSwitch(s, tx);
  return r.switched ? r.state : pump(r.state, tx);
}

// ---------------------------------------------------------------- handoff

function onGoAway(s: State, link: LinkId, timeLeftMs: number, tx: Tx): State {
  const { now } = tx.ctx;
  const deadline = now + timeLeftMs;
  s = patch(s, { stats: withStats(s.stats, { lastGoAway: { timeLeftMs, at: now } }) });
  emit(tx, { type: 'goAway', timeLeftMs, deadline });
  const p = s.phase;
  // A second warning (or a goAway during a planned refresh): only the deadline changes.
  if (p.kind === 'handingOff' && p.link === link) return patch(s, { phase: armDeadline(p, deadline, tx) });
  if (p.kind === 'connected' && p.link === link) return beginHandoff(s, p, 'goAway', deadline, tx);
  return s;
}

/**
 * Opens the next socket now (warm standby: upgraded, no setup yet), and switches at the next
 * turn boundary or shortly before the deadline, whichever comes first.
 */
function beginHandoff(s: State, p: Extract<Phase, { kind: 'connected' }>, reason: HandoffReason, deadline: number | undefined, tx: Tx): State {
  const { options } = tx.ctx;
  // A second goAway in a row while a turn waits and none could complete counts against the
  // retry budget and backs off: a server that ends connections faster than turns complete is
  // not chased forever. An idle session (nothing waiting) just follows its goAways.
  let delayMs = 0;
  const waiting = s.ledger.inFlight() !== undefined || s.ledger.queuedCount > 0;
  if (reason === 'goAway' && p.afterGoAway && !p.proven && waiting) {
    if (s.backoff.exhausted) {
      const text = `The server ended ${s.backoff.attempt + 1} connections in a row before a turn could complete. Your conversation is kept; connect again to resume.`;
      return fail(s, new MoonTalkError('gaveUp', text), tx);
    }
    const next = s.backoff.next();
    delayMs = next.delayMs;
    s = patch(s, { backoff: next.backoff });
  }
  const standby: Standby = !options.warmStandby ? { status: 'none' } : delayMs > 0 ? { status: 'deferred' } : { status: 'warming', link: s.nextLink };
  let phase: HandingOff = { ...p, kind: 'handingOff', reason, standby, graceOver: false, graceRunning: false };
  s = setPhase(s, phase, tx);
  emit(tx, { type: 'handoff', phase: 'started', reason });
  if (deadline !== undefined) phase = armDeadline(phase, deadline, tx);
  if (standby.status === 'deferred') {
    startTimer(tx, 'reconnect', delayMs);
    return maybeSwitch(patch(s, { phase }), tx).state;
  }
  if (standby.status === 'warming') return openStandby(patch(s, { phase }), phase, tx);
  return maybeSwitch(patch(s, { phase }), tx).state;
}

/** Opens the warm standby: upgraded now, its setup sent at the switch. */
function openStandby(s: State, p: HandingOff, tx: Tx): State {
  const link = s.nextLink;
  tx.fx.push({ type: 'open', link, purpose: usableHandle(s, tx.ctx.options, tx.ctx.now) ? 'resume' : 'newSession' });
  return maybeSwitch(patch(s, { nextLink: link + 1, phase: { ...p, standby: { status: 'warming', link } } }), tx).state;
}

/**
 * A text turn in flight on a silent link: once the timer fires with nothing heard since it
 * was armed, the link is taken for dead (reconnect, the turn is sent again); a second silence
 * on the same turn gives up with 'noResponse'.
 */
function onResponseTimer(s: State, tx: Tx): State {
  s = patch(s, { turn: withTurn(s.turn, { watching: false }) });
  const p = s.phase;
  const t = s.ledger.inFlight();
  if ((p.kind !== 'connected' && p.kind !== 'handingOff') || !t || t.origin !== 'text') return s;
  // Background reasoning after an IN_PROGRESS turnComplete may be silent for long: not a dead link
  // (a dead socket is the keepalive's to find).
  if (s.turn.heard || s.turn.awaitingIdle) return armResponseTimer(s, tx);
  const seconds = tx.ctx.options.responseTimeoutMs / 1000;
  if (s.turn.silentStrikes >= 1) return fail(s, new MoonTalkError('noResponse', `Turn ${t.turn} got no answer within ${seconds} s, twice (once after a reconnect).`), tx);
  log(tx, 'warn', `turn ${t.turn}: nothing heard for ${seconds} s; reconnecting`);
  s = patch(s, { turn: withTurn(s.turn, { silentStrikes: s.turn.silentStrikes + 1 }), lastConnectionEndedAt: tx.ctx.now });
  tx.fx.push({ type: 'dispose', link: p.link });
  const info = { code: 1006, reason: `no response within ${seconds} s` };
  if (p.kind === 'handingOff') {
    emit(tx, { type: 'disconnected', code: info.code, reason: info.reason, willReconnect: true });
    return switchConnections(s, p, true, tx);
  }
  cancelTimer(tx, 'uptime');
  return scheduleReconnect(s, info, tx);
}

/** Starts the response timer unless it runs already (then silence is noticed within two timeouts). */
function armResponseTimer(s: State, tx: Tx): State {
  const ms = tx.ctx.options.responseTimeoutMs;
  if (!(ms > 0) || s.turn.watching) return s;
  startTimer(tx, 'response', ms);
  return patch(s, { turn: withTurn(s.turn, { heard: false, watching: true }) });
}

function armDeadline(p: HandingOff, deadline: number, tx: Tx): HandingOff {
  const timeLeft = deadline - tx.ctx.now;
  const margin = Math.min(tx.ctx.options.handoffMarginMs, timeLeft / 2);
  startTimer(tx, 'deadline', timeLeft - margin);
  return { ...p, deadline };
}

/**
 * Switches when handing off, nothing is in flight, and the standby is settled. Right after a
 * turn it first waits briefly (`handleGraceMs`) for the handle that covers that turn, which
 * the service sends just after turnComplete: resuming with it avoids resending the turn.
 */
function maybeSwitch(s: State, tx: Tx): { state: State; switched: boolean } {
  const p = s.phase;
  if (p.kind !== 'handingOff') return { state: s, switched: false };
  if (s.ledger.inFlight() || holdsBoundary(s)) return { state: s, switched: false };
  if (p.standby.status === 'warming' || p.standby.status === 'deferred') return { state: s, switched: false };
  if (tx.ctx.options.resumption && s.ledger.hasUncoveredAnswers() && !p.graceOver) {
    if (p.graceRunning) return { state: s, switched: false };
    startTimer(tx, 'handleGrace', tx.ctx.options.handleGraceMs);
    return { state: patch(s, { phase: { ...p, graceRunning: true } }), switched: false };
  }
  return { state: switchConnections(s, p, false, tx), switched: true };
}

/**
 * Tool calls pending on this connection hold the turn boundary: their answers must go on this
 * connection. BLOCKING calls always (the model waits for them). NON_BLOCKING calls (the 3.8
 * default) only while the handoff has a deadline (goAway, token renewal), which bounds the
 * wait: a planned refresh must not wait for a background task, and an answer given after the
 * switch reaches the model as content (`sendLateResults`).
 */
function holdsBoundary(s: State): boolean {
  // A spoken result is due on this connection: switching now would lose it (bounded by its timer and the deadline).
  if (s.turn.toolReplies > 0) return true;
  const p = s.phase;
  const link = currentLink(p);
  const deadline = p.kind === 'handingOff' && p.deadline !== undefined;
  for (const call of s.pendingCalls.values()) if (call.link === link && (call.blocking || deadline)) return true;
  return false;
}

/**
 * Leaves the old socket and sets up on the standby. Closes the old socket first: the service
 * refuses a resume (1011) while an older socket of the same session is open. 'ack' waits for
 * the server's acknowledgement; 'frame' sends setup right behind our close frame, one round
 * trip sooner, and retries once after the close if the service saw the setup first.
 */
function switchConnections(s: State, p: HandingOff, byServer: boolean, tx: Tx): State {
  cancelTimer(tx, 'deadline', 'handleGrace', 'uptime', 'response');
  const conn: Connecting = { kind: 'connecting', handoff: { reason: p.reason, startedAt: tx.ctx.now }, credentialRetried: false };
  if (byServer) return setupOnStandby(setPhase(s, conn, tx), conn, p.standby, tx);
  tx.fx.push({ type: 'close', link: p.link, code: 1000, reason: 'handoff' });
  const old = { link: p.link, closed: false };
  if (tx.ctx.options.handoffCloseWait === 'ack') return setPhase(s, { ...conn, old, waiting: 'oldClose', standby: p.standby }, tx);
  s = setPhase(s, { ...conn, old }, tx);
  emit(tx, { type: 'disconnected', code: 1000, reason: 'handoff', willReconnect: true });
  return setupOnStandby(s, { ...conn, old }, p.standby, tx);
}

/** Sends setup on the warm standby; waits (bounded) for one still opening; connects cold without one. */
function setupOnStandby(s: State, conn: Connecting, standby: Standby, tx: Tx): State {
  if (standby.status === 'ready') {
    const r = resolveHandle(s, tx);
    s = setPhase(r.state, { ...conn, waiting: undefined, standby: undefined, attempt: { link: standby.link, opened: true, handle: r.handle, warm: true } }, tx);
    sendSetup(s, standby.link, r.handle, tx);
    return s;
  }
  if (standby.status === 'warming') {
    startTimer(tx, 'standbyWait', tx.ctx.options.setupTimeoutMs);
    return setPhase(s, { ...conn, waiting: 'standby', standby }, tx);
  }
  if (standby.status === 'deferred') cancelTimer(tx, 'reconnect');
  log(tx, 'info', 'no warm standby; connecting cold');
  return startAttempt(s, conn, undefined, tx);
}

// ---------------------------------------------------------------- small helpers

/**
 * Appends model text to the turn in flight (opening an audio turn if none is). The text is
 * kept in `streamed` until the turn ends or the ledger is read, so a text frame costs a
 * string append instead of a copy of the ledger.
 */
function streamAnswer(s: State, text: string, tx: Tx): State {
  if (!s.ledger.inFlight()) {
    s = ownLedger(s, tx);
    s.ledger.turnForOutput();
  }
  return appendText(s, text);
}

/** Writes the streamed text into the ledger's turn in flight. */
function settleAnswer(s: State, tx: Tx): State {
  s = ownLedger(s, tx);
  if (!s.streamed) return s;
  const t = s.ledger.inFlight();
  if (t) s.ledger.appendAnswer(t, s.streamed);
  return patch(s, { streamed: '' });
}

/** The phase with `proven` set: a turn completed on this link. */
function proven(p: Phase): Phase {
  return (p.kind === 'connected' || p.kind === 'handingOff') && !p.proven ? { ...p, proven: true } : p;
}

/**
 * A copy of `s` with `changes`. Written out field by field: V8 copies a fixed object literal
 * several times faster than an object spread. A field is changed when `changes` holds a value
 * for it (no state field is ever set to undefined: `lastConnectionEndedAt` only ever gets a
 * time). Reading the fields rather than testing `'field' in changes` matters: the changes come
 * in dozens of shapes, and twelve megamorphic `in` tests per call made this a fifth of the
 * session core's cost per turn.
 */
function patch(s: State, c: Partial<State>): State {
  return {
    phase: c.phase ?? s.phase,
    ledger: c.ledger ?? s.ledger,
    backoff: c.backoff ?? s.backoff,
    compression: c.compression ?? s.compression,
    audio: c.audio ?? s.audio,
    audioBytes: c.audioBytes ?? s.audioBytes,
    pendingCalls: c.pendingCalls ?? s.pendingCalls,
    turn: c.turn ?? s.turn,
    streamed: c.streamed ?? s.streamed,
    lastConnectionEndedAt: c.lastConnectionEndedAt ?? s.lastConnectionEndedAt,
    nextLink: c.nextLink ?? s.nextLink,
    stats: c.stats ?? s.stats,
  };
}

/**
 * The turn flags with `c` applied; the same object when nothing changes. A literal, for the
 * reason `patch` is one: an object spread of these flags was the hottest line of a turn.
 */
function withTurn(t: TurnFlags, c: Partial<TurnFlags>): TurnFlags {
  const next: TurnFlags = {
    strayTurnComplete: c.strayTurnComplete ?? t.strayTurnComplete,
    awaitingIdle: c.awaitingIdle ?? t.awaitingIdle,
    silentStrikes: c.silentStrikes ?? t.silentStrikes,
    heard: c.heard ?? t.heard,
    watching: c.watching ?? t.watching,
    toolReplies: c.toolReplies ?? t.toolReplies,
  };
  const same =
    next.strayTurnComplete === t.strayTurnComplete &&
    next.awaitingIdle === t.awaitingIdle &&
    next.silentStrikes === t.silentStrikes &&
    next.heard === t.heard &&
    next.watching === t.watching &&
    next.toolReplies === t.toolReplies;
  return same ? t : next;
}

/** The stats with `c` applied (no field is ever set back to undefined). A literal, as `withTurn`. */
function withStats(st: Stats, c: Partial<Stats>): Stats {
  return {
    startTime: c.startTime ?? st.startTime,
    connections: c.connections ?? st.connections,
    handoffs: c.handoffs ?? st.handoffs,
    reconnects: c.reconnects ?? st.reconnects,
    resumeFailures: c.resumeFailures ?? st.resumeFailures,
    lastGoAway: c.lastGoAway ?? st.lastGoAway,
    lastUsageTotal: c.lastUsageTotal ?? st.lastUsageTotal,
    lastHandoffGapMs: c.lastHandoffGapMs ?? st.lastHandoffGapMs,
  };
}

function ownLedger(s: State, tx: Tx): State {
  if (tx.ownsLedger) return s;
  tx.ownsLedger = true;
  return patch(s, { ledger: s.ledger.clone() });
}

function setPhase(s: State, phase: Phase, tx: Tx): State {
  const next = patch(s, { phase });
  emit(tx, { type: 'stateChanged', state: publicState(next) });
  return next;
}

function disposeStandby(p: Phase, tx: Tx): void {
  if ((p.kind === 'handingOff' || p.kind === 'connecting') && p.standby?.status === 'ready') tx.fx.push({ type: 'dispose', link: p.standby.link });
}

function emit(tx: Tx, event: SessionEvent): void {
  tx.fx.push({ type: 'emit', event });
}

function send(tx: Tx, link: LinkId, message: ClientMessage): void {
  tx.fx.push({ type: 'send', link, message });
}

function log(tx: Tx, level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
  tx.fx.push({ type: 'log', level, message });
}

/** Never hands the clock a delay it cannot hold: longer waits are clamped (the boundary or the next event decides). */
function startTimer(tx: Tx, name: TimerName, ms: number): void {
  tx.fx.push({ type: 'startTimer', name, ms: Math.min(Math.max(0, ms), MAX_TIMER_MS) });
}

function cancelTimer(tx: Tx, ...names: TimerName[]): void {
  for (const name of names) tx.fx.push({ type: 'cancelTimer', name });
}

function cancelAllTimers(tx: Tx): void {
  cancelTimer(tx, ...TIMER_NAMES);
}

/** The state of a session before anything happened, or as a saved snapshot left it. */
export function initialState(options: LiveSessionOptions, random: Random, restored?: ResumptionSnapshot): State {
  return {
    phase: { kind: 'idle' },
    ledger: restored ? TurnLedger.fromSnapshot(restored.ledger, options.ledger) : new TurnLedger(options.ledger),
    backoff: new ExponentialBackoff(options.backoff, random),
    compression: options.compression,
    audio: [],
    audioBytes: 0,
    pendingCalls: new Map(),
    turn: { strayTurnComplete: false, awaitingIdle: false, silentStrikes: 0, heard: false, watching: false, toolReplies: 0 },
    streamed: '',
    lastConnectionEndedAt: restored?.lastConnectionEndedAt,
    nextLink: 1,
    stats: {
      startTime: restored?.startTime,
      connections: restored?.connections ?? 0,
      handoffs: restored?.handoffs ?? 0,
      reconnects: restored?.reconnects ?? 0,
      resumeFailures: 0,
      lastGoAway: undefined,
      lastUsageTotal: undefined,
      lastHandoffGapMs: undefined,
    },
  };
}
