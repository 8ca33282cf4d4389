import type { WebSocket } from 'ws';
import type { Clock } from '../common/clock';
import type { Disposable } from '../common/disposable';
import type { Logger } from '../common/logger';
import type { AuthToken, AuthTokenStore } from './authTokenStore';
import { parseClientFrame, type ContentTurn, type FunctionResponse, type RealtimeInput, type SetupRequest } from './clientMessage';
import { DelayLine } from './delayLine';
import type { EmulatorEvent } from './emulatorEvent';
import { PONG_DELAY_RANGE_MS, type EmulatorOptions } from './emulatorOptions';
import { DEFAULT_INPUT_SAMPLE_RATE, OUTPUT_SAMPLE_RATE, decodePcm16, encodePcm16, sampleRateFromMimeType, synthesizeReplyAudio } from './pcm';
import { formatProtoDuration } from './protoDuration';
import { chunkText, planReply, toolReplyText } from './replyPlanner';
import type { EmulatedSession, SessionStore, StoredTurn } from './sessionStore';
import { audioTokens, buildUsage, textTokens, type CountedItem, type WireUsageMetadata } from './tokenAccounting';
import { VoiceActivityDetector } from './voiceActivityDetector';

/** What a connection needs from the emulator that owns it. */
export interface ConnectionHost {
  readonly options: EmulatorOptions;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly sessions: SessionStore;
  readonly tokens: AuthTokenStore;
  fire(event: EmulatorEvent): void;
  /** `function-call-<n>`, unique per emulator. */
  nextFunctionCallId(): string;
  connectionEnded(connection: EmulatorConnection): void;
  /** True once that connection's client has sent its close frame (the session is free to resume elsewhere). */
  clientHasClosed(connectionId: string): boolean;
}

/** How the socket authenticated, decided by the emulator from the URL before setup. */
export type ConnectionAuth =
  | { kind: 'key'; valid: boolean }
  | { kind: 'token'; token: AuthToken | undefined };

/** Spoken reply length: about 60 ms per character (a brisk speaking rate), capped. */
export const AUDIO_MS_PER_CHAR = 60;
export const MAX_REPLY_AUDIO_MS = 4_000;
/** Context window of native-audio models and of the others (LIVE-PROTOCOL.md "Limits"). */
export const CONTEXT_WINDOW_NATIVE_AUDIO = 128_000;
export const CONTEXT_WINDOW_OTHER = 32_000;

const MAX_CLOSE_REASON_BYTES = 123;

type Generation =
  | {
      state: 'streaming';
      userText: string;
      replyText: string;
      chunks: string[];
      audio: Int16Array | undefined;
      next: number;
      sentChars: number;
      prompt: CountedItem[];
      timer: Disposable | undefined;
    }
  | { state: 'awaitingTool'; userText: string; callId: string; name: string; prompt: CountedItem[] };

/** Close reasons as the emulator sends them (WebSocket limits a reason to 123 bytes). */
export function truncateCloseReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_CLOSE_REASON_BYTES) return reason;
  let out = reason;
  while (Buffer.byteLength(out) > MAX_CLOSE_REASON_BYTES - 3) out = out.slice(0, -1);
  return `${out}...`;
}

/**
 * One WebSocket: setup, turns, generation, timers (goAway, deadline, drop,
 * session cap, token expiry, pongs). A session spans connections through handles;
 * the connection binds to one after its setup is accepted.
 */
export class EmulatorConnection {
  private state: 'awaitingSetup' | 'open' | 'closing' | 'closed' = 'awaitingSetup';
  private session: EmulatedSession | undefined;
  private setup: SetupRequest | undefined;
  private token: AuthToken | undefined;
  private readonly timers = new Set<Disposable>();
  private readonly outbound: DelayLine;
  private readonly inbound: DelayLine;
  private deadlineTimer: Disposable | undefined;
  private deadlineAt = Infinity;
  private generation: Generation | undefined;
  private readonly vad = new VoiceActivityDetector();
  private activity: { samples: number; sampleRate: number } | undefined;
  private framesSent = 0;
  private serverClose: { code: number; reason: string } | undefined;
  private readonly log: Logger;

  constructor(
    readonly id: string,
    private readonly host: ConnectionHost,
    private readonly ws: WebSocket,
    private readonly endpoint: 'key' | 'token',
  ) {
    this.log = host.logger.child(`emulator ${id}`);
    this.outbound = new DelayLine(host.clock, host.options.latencyMs);
    this.inbound = new DelayLine(host.clock, host.options.latencyMs);
    ws.on('message', (data, isBinary) => {
      const frame = isBinary ? toBuffer(data) : toBuffer(data).toString('utf8');
      this.inbound.push(() => this.handleFrame(frame));
    });
    ws.on('ping', (data) => this.onPing(data));
    ws.on('close', (code, reason) => this.finalize(code, reason.toString('utf8')));
    // An error (bad frame, reset) is followed by 'close'; without a listener it would crash the process.
    ws.on('error', (err) => this.log.debug(`socket error: ${err.message}`));
  }

  get sessionId(): string | undefined {
    return this.session?.id;
  }

  /** True until the socket is closing or closed. */
  /**
   * The client sent its close frame. The service frees the session then, not when TCP
   * finishes closing: a client that waited for the close handshake may resume at once.
   * ws keeps this as `_closeFrameReceived` (stable since ws 3; no public event exists).
   */
  get clientCloseReceived(): boolean {
    return (this.ws as unknown as { _closeFrameReceived?: boolean })._closeFrameReceived === true;
  }

  get isOpen(): boolean {
    return this.state === 'awaitingSetup' || this.state === 'open';
  }

  /** Called once, right after the upgrade: refuses bad credentials the way the real service does (accept, then close 1008). */
  start(auth: ConnectionAuth): void {
    this.host.fire({ type: 'connectionOpened', connectionId: this.id, endpoint: this.endpoint });
    if (auth.kind === 'key') {
      if (!auth.valid) this.close(1008, 'API key not valid. Please pass a valid API key.');
      return;
    }
    const token = auth.token;
    if (!token) {
      this.close(1008, 'Unauthenticated: the access token is not valid.');
      return;
    }
    if (this.host.tokens.isExpired(token)) {
      this.close(1008, 'Ephemeral token expired.');
      return;
    }
    this.token = token;
    this.schedule(token.expireTimeMs - this.host.clock.now(), () => this.close(1008, 'Ephemeral token expired.'));
  }

  // ---------------------------------------------------------------- faults

  /** Sends `goAway` and closes with 1008 if the client is still here `timeLeftMs` later. */
  goAway(timeLeftMs: number): void {
    if (this.state !== 'open') return;
    this.send({ goAway: { timeLeft: formatProtoDuration(timeLeftMs) } });
    this.log.info(`goAway, ${timeLeftMs} ms left`);
    this.host.fire({ type: 'goAwaySent', connectionId: this.id, timeLeftMs });
    this.setDeadline(timeLeftMs);
  }

  /** Breaks the TCP connection: no close frame, frames in flight are lost. */
  drop(): void {
    if (this.state === 'closed') return;
    this.host.fire({ type: 'connectionDropped', connectionId: this.id, sessionId: this.session?.id });
    this.log.info('dropping the TCP connection (no close frame)');
    this.serverClose = { code: 1006, reason: 'dropped' };
    this.state = 'closing';
    this.ws.terminate();
  }

  /** Closes with a close frame (sent after frames already queued, so latency keeps the order). */
  close(code: number, reason: string): void {
    if (!this.isOpen) return;
    this.state = 'closing';
    this.stopGeneration();
    // Nothing more happens on a closing connection: no goAway, no drop, no cap.
    for (const t of this.timers) t.dispose();
    this.timers.clear();
    const safeReason = truncateCloseReason(reason);
    this.serverClose = { code, reason: safeReason };
    this.log.info(`closing ${code} ${safeReason}`);
    this.outbound.push(() => {
      if (this.ws.readyState === this.ws.OPEN) this.ws.close(code, safeReason);
    });
  }

  /** Cancels a pending tool call; true when this connection held it. */
  cancelToolCall(id: string): boolean {
    const gen = this.generation;
    if (this.state !== 'open' || !gen || gen.state !== 'awaitingTool' || gen.callId !== id) return false;
    this.generation = undefined;
    this.send({ toolCallCancellation: { ids: [id] } });
    this.host.fire({ type: 'toolCallCancelled', connectionId: this.id, sessionId: this.session!.id, id });
    this.issueHandle();
    return true;
  }

  /** Ends at once (emulator stopping): terminates the socket, clears every timer. */
  dispose(): void {
    if (this.state === 'closed') return;
    if (!this.serverClose) this.serverClose = { code: 1006, reason: 'emulator stopped' };
    this.ws.terminate();
    this.finalize(1006, 'emulator stopped');
  }

  // ---------------------------------------------------------------- frames in

  private handleFrame(data: string | Buffer): void {
    if (!this.isOpen) return;
    const msg = parseClientFrame(data);
    if (msg.kind === 'violation') {
      this.close(msg.code, msg.reason);
      return;
    }
    this.host.fire({ type: 'clientMessage', connectionId: this.id, kind: msg.kind });
    if (this.state === 'awaitingSetup') {
      if (msg.kind !== 'setup') {
        this.close(1007, 'Request contains an invalid argument. The first message must be setup.');
        return;
      }
      this.onSetup(msg.setup);
      return;
    }
    switch (msg.kind) {
      case 'setup':
        this.close(1007, 'Request contains an invalid argument. setup may be sent only once.');
        return;
      case 'clientContent':
        this.onClientContent(msg.turns, msg.turnComplete);
        return;
      case 'realtimeInput':
        this.onRealtimeInput(msg.input);
        return;
      case 'toolResponse':
        this.onToolResponse(msg.responses);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  private onSetup(setup: SetupRequest): void {
    const { options, sessions, tokens, clock } = this.host;
    const handle = setup.sessionResumption?.handle;
    if (this.token) {
      const refusal = tokens.checkSetup(this.token, setup, handle !== undefined);
      if (refusal) {
        this.close(1008, refusal);
        return;
      }
    }
    let session: EmulatedSession;
    if (handle !== undefined) {
      if (options.staleHandles) {
        this.close(1007, 'Invalid session resumption handle: the handle is stale.');
        return;
      }
      const found = sessions.lookup(handle);
      if (!found.ok) {
        this.close(1007, `Invalid session resumption handle (${found.reason}).`);
        return;
      }
      if (found.session.activeConnectionId !== undefined && !this.host.clientHasClosed(found.session.activeConnectionId)) {
        // Field report (sip-to-ai PR 14): the real service refuses a resume while
        // an older socket of the session is still open; the NEW socket is closed.
        this.close(1011, 'Internal error: the session is still in use by another connection.');
        return;
      }
      session = found.session;
      session.history = found.snapshot;
      session.resumeCount++;
    } else {
      session = sessions.create();
      if (this.token) tokens.consumeUse(this.token);
    }
    const now = clock.now();
    this.session = session;
    this.setup = setup;
    this.state = 'open';
    session.activeConnectionId = this.id;
    session.activeSince = now;
    session.connectionCount++;
    this.send({ setupComplete: {} });
    this.host.fire({ type: 'setupAccepted', connectionId: this.id, sessionId: session.id, resumed: handle !== undefined });
    this.log.info(`setup accepted: ${session.id}${handle !== undefined ? ` resumed (${session.history.length} turns restored)` : ' new'}, ${setup.responseModality}`);
    if (setup.sessionResumption) this.issueHandle();

    const lifetime = options.connectionLifetimeMs;
    const goAwayAt = Math.max(0, lifetime - options.goAwayLeadMs);
    this.schedule(goAwayAt, () => this.goAway(lifetime - goAwayAt));
    this.setDeadline(lifetime);
    if (options.dropAfterMs !== undefined) this.schedule(options.dropAfterMs, () => this.drop());
    if (!setup.compression) {
      this.schedule(Math.max(0, options.sessionCapMs - session.connectedMs(now)), () => this.capSession());
    }
  }

  private onClientContent(turns: ContentTurn[], turnComplete: boolean): void {
    const stored: StoredTurn[] = turns.map((t) => ({
      role: t.role === 'model' ? 'model' : 'user',
      text: t.text,
      modality: 'TEXT',
      tokens: textTokens(t.text),
    }));
    if (!turnComplete) {
      // Context only: appended, not answered.
      this.session!.history.push(...stored);
      return;
    }
    const lastUser = [...stored].reverse().find((t) => t.role === 'user') ?? [...this.session!.history].reverse().find((t) => t.role === 'user');
    this.beginTurn(stored, lastUser?.text ?? '', 'text');
  }

  private onRealtimeInput(input: RealtimeInput): void {
    const auto = this.setup!.automaticActivityDetection;
    if ((input.activityStart || input.activityEnd) && auto) {
      this.close(1007, 'Request contains an invalid argument. activityStart/activityEnd need automaticActivityDetection.disabled.');
      return;
    }
    if (input.activityStart) {
      if (this.generation) this.interrupt();
      this.activity = { samples: 0, sampleRate: DEFAULT_INPUT_SAMPLE_RATE };
    }
    for (const chunk of input.audio) {
      const rate = sampleRateFromMimeType(chunk.mimeType) ?? DEFAULT_INPUT_SAMPLE_RATE;
      const samples = decodePcm16(chunk.data);
      this.session!.recordAudio(samples, rate);
      if (auto) {
        for (const event of this.vad.push(samples, rate)) {
          if (event.type === 'speechStarted' && this.generation) this.interrupt();
          if (event.type === 'utteranceEnded') this.audioTurn(event.durationMs, 'vad');
        }
      } else if (this.activity) {
        this.activity.samples += samples.length;
        this.activity.sampleRate = rate;
      }
    }
    if (input.activityEnd && this.activity) {
      const durationMs = (this.activity.samples / this.activity.sampleRate) * 1000;
      this.activity = undefined;
      this.audioTurn(durationMs, 'activity');
    }
    if (input.audioStreamEnd && auto) {
      for (const event of this.vad.flush()) {
        if (event.type === 'utteranceEnded') this.audioTurn(event.durationMs, 'audioStreamEnd');
      }
    }
    if (input.text !== undefined) {
      this.beginTurn([{ role: 'user', text: input.text, modality: 'TEXT', tokens: textTokens(input.text) }], input.text, 'text');
    }
  }

  private onToolResponse(responses: FunctionResponse[]): void {
    const gen = this.generation;
    if (!gen || gen.state !== 'awaitingTool') return;
    const match = responses.find((r) => r.id === gen.callId);
    if (!match) return; // The real service ignores responses to calls it did not make (recording: tool_response_with_function_responses).
    const responseText = JSON.stringify(match.response ?? null);
    const prompt = [...gen.prompt, { modality: 'TEXT' as const, tokens: textTokens(responseText) }];
    this.stream(gen.userText, toolReplyText(gen.name, match.response), prompt);
  }

  // ---------------------------------------------------------------- turns

  private audioTurn(durationMs: number, source: 'vad' | 'activity' | 'audioStreamEnd'): void {
    const text = `[speech ${(durationMs / 1000).toFixed(1)} s]`;
    if (this.setup!.inputTranscription) this.send({ serverContent: { inputTranscription: { text } } });
    this.beginTurn([{ role: 'user', text, modality: 'AUDIO', tokens: audioTokens(durationMs) }], text, source);
  }

  private beginTurn(turns: StoredTurn[], userText: string, source: 'text' | 'vad' | 'activity' | 'audioStreamEnd'): void {
    const session = this.session!;
    if (this.generation) this.interrupt();
    session.history.push(...turns);
    this.host.fire({ type: 'userTurn', connectionId: this.id, sessionId: session.id, text: userText, source });
    this.compress();
    const prompt = this.promptItems();
    if (this.setup!.sessionResumption) this.send({ sessionResumptionUpdate: { resumable: false } });
    const plan = planReply(session.history, userText);
    if (plan.kind === 'toolCall') {
      const callId = this.host.nextFunctionCallId();
      this.generation = { state: 'awaitingTool', userText, callId, name: plan.name, prompt };
      // Recorded (should_send_tool_response): the model first shows the call as executableCode, then sends toolCall.
      this.send({ serverContent: { modelTurn: { parts: [{ executableCode: { language: 'PYTHON', code: pythonCall(plan.name, plan.args) } }] } } });
      this.send({ toolCall: { functionCalls: [{ id: callId, name: plan.name, args: plan.args }] } });
      this.host.fire({ type: 'toolCallSent', connectionId: this.id, sessionId: session.id, id: callId, name: plan.name });
      return;
    }
    this.stream(userText, plan.text, prompt);
  }

  private stream(userText: string, replyText: string, prompt: CountedItem[]): void {
    const audio = this.setup!.responseModality === 'AUDIO' ? synthesizeReplyAudio(replyAudioMs(replyText)) : undefined;
    const gen: Generation = { state: 'streaming', userText, replyText, chunks: chunkText(replyText), audio, next: 0, sentChars: 0, prompt, timer: undefined };
    this.generation = gen;
    const tick = () => {
      if (this.generation !== gen || this.state !== 'open') return;
      this.sendChunk(gen);
      if (gen.next < gen.chunks.length) gen.timer = this.schedule(this.host.options.replyChunkDelayMs, tick);
      else this.completeTurn(gen);
    };
    gen.timer = this.schedule(this.host.options.replyChunkDelayMs, tick);
  }

  private sendChunk(gen: Extract<Generation, { state: 'streaming' }>): void {
    const text = gen.chunks[gen.next]!;
    const start = gen.sentChars;
    gen.next++;
    gen.sentChars += text.length;
    if (!gen.audio) {
      this.send({ serverContent: { modelTurn: { parts: [{ text }] } } });
      return;
    }
    const total = gen.replyText.length;
    const from = Math.round((start / total) * gen.audio.length);
    const to = Math.round((gen.sentChars / total) * gen.audio.length);
    const data = encodePcm16(gen.audio.subarray(from, to));
    this.send({ serverContent: { modelTurn: { parts: [{ inlineData: { mimeType: `audio/pcm;rate=${OUTPUT_SAMPLE_RATE}`, data } }] } } });
    if (this.setup!.outputTranscription) this.send({ serverContent: { outputTranscription: { text } } });
  }

  /** Recorded order: generationComplete, then turnComplete with usageMetadata. */
  private completeTurn(gen: Extract<Generation, { state: 'streaming' }>): void {
    const session = this.session!;
    this.generation = undefined;
    const modality = this.setup!.responseModality;
    const responseTokens = gen.audio ? audioTokens((gen.audio.length / OUTPUT_SAMPLE_RATE) * 1000) : textTokens(gen.replyText);
    session.history.push({ role: 'model', text: gen.replyText, modality, tokens: responseTokens });
    const usage: WireUsageMetadata = buildUsage(gen.prompt, [{ modality, tokens: responseTokens }], modality);
    session.tokensUsed += usage.totalTokenCount;
    this.send({ serverContent: { generationComplete: true } });
    this.send({ serverContent: { turnComplete: true }, usageMetadata: usage });
    this.host.fire({ type: 'turnAnswered', connectionId: this.id, sessionId: session.id, userText: gen.userText, replyText: gen.replyText, usage });
    this.issueHandle();
  }

  /**
   * Barge-in: `interrupted`, and the reply stops. The interrupted turn gets no
   * generationComplete or turnComplete (our reading of the real service; clients
   * must treat `interrupted` as the end of that reply). What was already sent stays
   * in the history as the model's (partial) turn. A pending tool call is cancelled.
   */
  private interrupt(): void {
    const gen = this.generation;
    if (!gen) return;
    const session = this.session!;
    this.stopGeneration();
    if (gen.state === 'awaitingTool') {
      this.send({ toolCallCancellation: { ids: [gen.callId] } });
      this.host.fire({ type: 'toolCallCancelled', connectionId: this.id, sessionId: session.id, id: gen.callId });
    } else if (gen.sentChars > 0) {
      const partial = gen.replyText.slice(0, gen.sentChars);
      const tokens = gen.audio ? audioTokens((gen.sentChars / gen.replyText.length) * (gen.audio.length / OUTPUT_SAMPLE_RATE) * 1000) : textTokens(partial);
      session.history.push({ role: 'model', text: partial, modality: this.setup!.responseModality, tokens });
    }
    this.send({ serverContent: { interrupted: true } });
    this.host.fire({ type: 'turnInterrupted', connectionId: this.id, sessionId: session.id, userText: gen.userText });
    this.issueHandle();
  }

  private stopGeneration(): void {
    const gen = this.generation;
    this.generation = undefined;
    if (gen?.state === 'streaming') gen.timer?.dispose();
  }

  // ---------------------------------------------------------------- context

  private contextWindow(): number {
    return this.setup!.model.includes('native-audio') ? CONTEXT_WINDOW_NATIVE_AUDIO : CONTEXT_WINDOW_OTHER;
  }

  /** What the model sees: the system instruction, then the history. */
  private promptItems(): CountedItem[] {
    const items: CountedItem[] = [];
    const si = this.setup!.systemInstructionText;
    if (si) items.push({ modality: 'TEXT', tokens: textTokens(si) });
    for (const t of this.session!.history) items.push({ modality: t.modality, tokens: t.tokens });
    return items;
  }

  /**
   * Sliding-window compression: once the context reaches `triggerTokens`, drop
   * the oldest turns until it is at most `targetTokens` (default: trigger / 2;
   * trigger default: 80 % of the model's context window). The newest turn stays.
   */
  private compress(): void {
    const c = this.setup!.compression;
    if (!c) return;
    const trigger = c.triggerTokens ?? Math.floor(this.contextWindow() * 0.8);
    const target = c.targetTokens !== undefined && c.targetTokens < trigger ? c.targetTokens : Math.floor(trigger / 2);
    const session = this.session!;
    const before = this.promptItems().reduce((s, i) => s + i.tokens, 0);
    if (before < trigger) return;
    let context = before;
    let dropped = 0;
    while (context > target && session.history.length > 1) {
      context -= session.history.shift()!.tokens;
      dropped++;
    }
    this.host.fire({ type: 'contextCompressed', sessionId: session.id, tokensBefore: before, tokensAfter: context, turnsDropped: dropped });
  }

  private capSession(): void {
    const session = this.session;
    if (!session || this.state !== 'open') return;
    session.capped = true;
    this.host.fire({ type: 'sessionCapped', sessionId: session.id });
    this.close(1011, 'Deadline expired');
  }

  // ---------------------------------------------------------------- plumbing

  private issueHandle(): void {
    if (!this.setup?.sessionResumption || this.state !== 'open') return;
    const session = this.session!;
    const newHandle = this.host.sessions.issueHandle(session);
    this.send({ sessionResumptionUpdate: { newHandle, resumable: true } });
    this.host.fire({ type: 'handleIssued', connectionId: this.id, sessionId: session.id, handle: newHandle, historyLength: session.history.length });
  }

  /** Arms the close-with-1008 deadline; a deadline only ever moves earlier (a later goAway never extends it). */
  private setDeadline(inMs: number): void {
    const at = this.host.clock.now() + inMs;
    if (at >= this.deadlineAt) return;
    this.deadlineAt = at;
    if (this.deadlineTimer) {
      this.timers.delete(this.deadlineTimer);
      this.deadlineTimer.dispose();
    }
    // Field report (reachy_mini issue 357): a client that stays past the goAway deadline is closed with 1008.
    this.deadlineTimer = this.schedule(inMs, () => this.close(1008, 'goAway deadline passed'));
  }

  private onPing(data: Buffer): void {
    const [min, max] = PONG_DELAY_RANGE_MS;
    const delayMs = this.host.options.pongDelayMs ?? min + this.host.options.random() * (max - min);
    this.schedule(delayMs, () => {
      if (this.ws.readyState !== this.ws.OPEN) return;
      this.ws.pong(data);
      this.host.fire({ type: 'pingAnswered', connectionId: this.id, delayMs });
    });
  }

  private send(message: Record<string, unknown>): void {
    if (this.state === 'closed') return;
    const json = JSON.stringify(message);
    const mode = this.host.options.serverFrames;
    const binary = mode === 'binary' || (mode === 'mixed' && this.framesSent % 2 === 1);
    this.framesSent++;
    this.outbound.push(() => {
      if (this.ws.readyState === this.ws.OPEN) this.ws.send(binary ? Buffer.from(json, 'utf8') : json, { binary });
    });
  }

  private schedule(delayMs: number, fn: () => void): Disposable {
    const timer: Disposable = this.host.clock.setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, Math.max(0, delayMs));
    this.timers.add(timer);
    return timer;
  }

  private finalize(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.stopGeneration();
    for (const t of this.timers) t.dispose();
    this.timers.clear();
    this.inbound.dispose();
    this.outbound.dispose();
    const session = this.session;
    if (session && session.activeConnectionId === this.id) {
      const now = this.host.clock.now();
      session.closedConnectedMs += now - (session.activeSince ?? now);
      session.activeConnectionId = undefined;
      session.activeSince = undefined;
      session.lastConnectionEndedAt = now;
    }
    const by = this.serverClose ? (this.serverClose.code === 1006 ? 'drop' : 'server') : 'client';
    const final = this.serverClose ?? { code, reason };
    this.host.fire({ type: 'connectionClosed', connectionId: this.id, sessionId: session?.id, code: final.code, reason: final.reason, by });
    this.host.connectionEnded(this);
  }
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Length of the spoken reply for `text`: {@link AUDIO_MS_PER_CHAR} per character, at most {@link MAX_REPLY_AUDIO_MS}. */
export function replyAudioMs(text: string): number {
  return Math.min(MAX_REPLY_AUDIO_MS, Math.max(AUDIO_MS_PER_CHAR, text.length * AUDIO_MS_PER_CHAR));
}

/** `print(default_api.NAME(k='v', n=1))`, the shape of the recorded executableCode part. */
export function pythonCall(name: string, args: Record<string, unknown>): string {
  const repr = (v: unknown): string => (typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(v) ?? 'None');
  const list = Object.entries(args).map(([k, v]) => `${k}=${repr(v)}`).join(', ');
  return `print(default_api.${name}(${list}))`;
}
