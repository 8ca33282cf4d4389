import type { WebSocket } from 'ws';
import type { Clock } from '../common/clock';
import type { Disposable } from '../common/disposable';
import type { Logger } from '../common/logger';
import type { AuthToken, AuthTokenStore } from './authTokenStore';
import { parseClientFrame, type ContentTurn, type FunctionResponse, type RealtimeInput, type SetupRequest } from './clientMessage';
import { checkSetupForModel, findModelProfile, modelNotFoundReason, type ModelProfile, type ToolBehavior } from './modelProfiles';
import { DelayLine } from './delayLine';
import type { EmulatorEvent } from './emulatorEvent';
import { PONG_DELAY_RANGE_MS, QUOTA_CLOSE_CODE, QUOTA_CLOSE_REASON, type EmulatorOptions } from './emulatorOptions';
import { DEFAULT_INPUT_SAMPLE_RATE, OUTPUT_SAMPLE_RATE, decodePcm16, encodePcm16, sampleRateFromMimeType, synthesizeReplyAudio } from './pcm';
import { formatProtoDuration } from './protoDuration';
import { chunkText, planReply, toolReplyText } from './replyPlanner';
import { groundedReplyText, groundingMetadataFor, searchQuery } from './searchGrounding';
import type { EmulatedSession, SessionStore, StoredTurn } from './sessionStore';
import { audioTokens, buildUsage, modalityDetails, textTokens, type CountedItem, type WireUsageMetadata } from './tokenAccounting';
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
  /** The key's quota is used up (EmulatorOptions.quotaExhausted, LiveEmulator.exhaustQuota). */
  quotaExhausted(): boolean;
}

/** How the socket authenticated, decided by the emulator from the URL before setup. */
export type ConnectionAuth =
  | { kind: 'key'; valid: boolean }
  | { kind: 'token'; token: AuthToken | undefined };

/** Spoken reply length: about 60 ms per character (a brisk speaking rate), capped. */
export const AUDIO_MS_PER_CHAR = 60;
export const MAX_REPLY_AUDIO_MS = 4_000;

const MAX_CLOSE_REASON_BYTES = 123;

/**
 * What the model is producing. `phase`: `reply` answers a user turn; `background` is the
 * extended-thinking model's output after its IN_PROGRESS turnComplete; `toolResult` is
 * the model speaking about a NON_BLOCKING function's result on its own.
 */
type Speech = {
  state: 'streaming';
  phase: 'reply' | 'background' | 'toolResult';
  userText: string;
  replyText: string;
  chunks: string[];
  audio: Int16Array | undefined;
  next: number;
  sentChars: number;
  prompt: CountedItem[];
  timer: Disposable | undefined;
};

type Generation = Speech | { state: 'awaitingTool'; userText: string; callId: string; name: string; prompt: CountedItem[] };

const INVALID = 'Request contains an invalid argument.';

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
  private profile: ModelProfile | undefined;
  private token: AuthToken | undefined;
  /** NON_BLOCKING calls still running on the client: id → function name. */
  private readonly pendingCalls = new Map<string, string>();
  /** WHEN_IDLE results waiting for the current output to end. */
  private readonly idleQueue: Array<{ name: string; response: unknown }> = [];
  /** 3.1: clientContent is taken as initial history until realtime input or a model turn. */
  private initialHistoryOpen = false;
  private readonly timers = new Set<Disposable>();
  private readonly outbound: DelayLine;
  private readonly inbound: DelayLine;
  private deadlineTimer: Disposable | undefined;
  private deadlineAt = Infinity;
  private generation: Generation | undefined;
  /** Tuned by the setup's `automaticActivityDetection` (silenceDurationMs, prefixPaddingMs). */
  private vad = new VoiceActivityDetector();
  /** NO_INTERRUPTION: utterances that ended while the model spoke, answered when it is done. */
  private readonly heldAudioTurns: Array<{ durationMs: number; source: 'vad' | 'audioStreamEnd' }> = [];
  private activity: { samples: number; sampleRate: number } | undefined;
  private framesSent = 0;
  private serverClose: { code: number; reason: string } | undefined;
  private readonly log: Logger;

  constructor(
    readonly id: string,
    private readonly host: ConnectionHost,
    private readonly ws: WebSocket,
    private readonly endpoint: 'key' | 'token',
    /** From the request path; the service names it in "model not found" reasons. */
    private readonly apiVersion: string,
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
    if (this.state !== 'open') return false;
    const gen = this.generation;
    if (this.pendingCalls.delete(id)) {
      // A NON_BLOCKING call: the model goes on with whatever it is doing.
    } else if (gen?.state === 'awaitingTool' && gen.callId === id) {
      this.generation = undefined;
    } else {
      return false;
    }
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
    const profile = findModelProfile(setup.model);
    if (!profile) {
      // python-genai issue 362: shut-down and unknown models are closed 1008 "… is not found …".
      this.close(1008, modelNotFoundReason(setup.model, this.apiVersion));
      return;
    }
    if (this.host.quotaExhausted()) {
      // The service refuses the session itself, new or resumed, with an internal-error close.
      this.close(QUOTA_CLOSE_CODE, QUOTA_CLOSE_REASON);
      return;
    }
    if (this.token) {
      const tokenRefusal = tokens.checkSetup(this.token, setup, handle !== undefined);
      if (tokenRefusal) {
        this.close(1008, tokenRefusal);
        return;
      }
    }
    // After the token's lock (a 1008), the model's own rules (1007).
    const refusal = checkSetupForModel(profile, setup);
    if (refusal) {
      this.close(1007, refusal);
      return;
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
      sessions.restore(session, found.position);
      session.resumeCount++;
    } else {
      session = sessions.create();
      if (this.token) tokens.consumeUse(this.token);
    }
    const now = clock.now();
    this.session = session;
    this.setup = setup;
    this.profile = profile;
    const tuning = setup.activityDetection;
    this.vad = new VoiceActivityDetector({
      ...(tuning.silenceDurationMs !== undefined ? { endSilenceMs: tuning.silenceDurationMs } : {}),
      ...(tuning.prefixPaddingMs !== undefined ? { startSpeechMs: tuning.prefixPaddingMs } : {}),
    });
    this.initialHistoryOpen = profile.clientContent === 'initialHistoryOnly' && setup.initialHistoryInClientContent;
    this.state = 'open';
    session.activeConnectionId = this.id;
    session.activeSince = now;
    session.connectionCount++;
    this.send({ setupComplete: {} });
    this.host.fire({ type: 'setupAccepted', connectionId: this.id, sessionId: session.id, resumed: handle !== undefined });
    this.log.info(`setup accepted: ${session.id}${handle !== undefined ? ` resumed (${session.history.length} turns restored)` : ' new'}, ${profile.id}, ${this.responseModality()}`);
    if (setup.sessionResumption) this.issueHandle();
    if (profile.usageBeforeFirstTurn) {
      // LIVE-PROTOCOL.md (3.x models): a standalone usageMetadata can arrive before the
      // first turn; clients must not take it for a turn. It counts the context so far.
      const prompt = this.promptItems();
      const n = prompt.reduce((sum, i) => sum + i.tokens, 0);
      this.send({ usageMetadata: { promptTokenCount: n, totalTokenCount: n, promptTokensDetails: modalityDetails(prompt) } });
    }

    const lifetime = options.connectionLifetimeMs;
    const goAwayAt = Math.max(0, lifetime - options.goAwayLeadMs);
    this.schedule(goAwayAt, () => this.goAway(lifetime - goAwayAt));
    this.setDeadline(lifetime);
    if (options.dropAfterMs !== undefined) this.schedule(options.dropAfterMs, () => this.drop());
    if (!setup.compression) {
      this.schedule(Math.max(0, options.sessionCapMs - session.connectedMs(now)), () => this.capSession());
    }
  }

  /** AUDIO unless the setup asked for TEXT (and the model takes it: checked at setup). */
  private responseModality(): 'AUDIO' | 'TEXT' {
    return this.setup!.responseModalities?.[0] === 'TEXT' ? 'TEXT' : this.profile!.responseModalities[0]!;
  }

  private onClientContent(turns: ContentTurn[], turnComplete: boolean): void {
    const profile = this.profile!;
    if (profile.clientContent === 'refused') {
      // Transcribe / translate (LIVE-PROTOCOL.md: "not for conversation"; the 1007 is our choice
      // without a source): no turns or history, user text only as realtimeInput.text.
      this.close(1007, `${INVALID} clientContent is not supported by this model; use realtimeInput.text.`);
      return;
    }
    if (profile.clientContent === 'initialHistoryOnly' && !this.initialHistoryOpen) {
      // 3.1 model page, livekit/agents PR 5251: clientContent only seeds initial history,
      // with historyConfig.initialHistoryInClientContent, before any realtime input.
      this.close(1007, `${INVALID} clientContent is only accepted as initial history before realtime input; use realtimeInput.text.`);
      return;
    }
    if (profile.requiresExplicitRoles && turns.some((t) => t.role === '')) {
      // 3.8 model page: clientContent the whole session "with explicit roles".
      this.close(1007, `${INVALID} clientContent.turns[].role is required (user or model).`);
      return;
    }
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
    const lastUser = [...stored].reverse().find((t) => t.role === 'user') ?? [...this.session!.history].reverse().find((t) => t.role === 'user' && !t.toolResult);
    // 3.8 model page: `turnComplete: true` interrupts a running generation (beginTurn does).
    this.beginTurn(stored, lastUser?.text ?? '', 'text');
  }

  private onRealtimeInput(input: RealtimeInput): void {
    if (input.mediaChunks) {
      // LIVE-PROTOCOL.md: the deprecated mediaChunks is refused by every current model.
      this.close(1007, `${INVALID} realtimeInput.mediaChunks is deprecated; use audio, video or text.`);
      return;
    }
    this.initialHistoryOpen = false;
    const auto = this.setup!.automaticActivityDetection;
    if ((input.activityStart || input.activityEnd) && auto) {
      this.close(1007, `${INVALID} activityStart/activityEnd need automaticActivityDetection.disabled.`);
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
          // NO_INTERRUPTION (activityHandling): the model goes on speaking over the user.
          if (event.type === 'speechStarted' && this.generation && this.setup!.speechInterrupts) this.interrupt();
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
    for (const r of responses) {
      const gen = this.generation;
      if (gen?.state === 'awaitingTool' && r.id === gen.callId) {
        // BLOCKING: the model waited for this; it answers now.
        const responseText = JSON.stringify(r.response ?? null);
        const prompt = [...gen.prompt, { modality: 'TEXT' as const, tokens: textTokens(responseText) }];
        this.speak(gen.userText, toolReplyText(gen.name, r.response), prompt, 'reply');
        continue;
      }
      const name = this.pendingCalls.get(r.id);
      // The real service ignores responses to calls it did not make (recording: tool_response_with_function_responses).
      if (name === undefined || this.state !== 'open') continue;
      this.onNonBlockingResult(r, name);
    }
  }

  /**
   * A NON_BLOCKING function's result (3.8 model page; Live API tool-use guide):
   * `willContinue: true` is a partial result, the call stays pending until a response
   * without it; `scheduling` INTERRUPT speaks about it at once (stopping current output),
   * WHEN_IDLE (the default) after the current output, SILENT only adds it to the context.
   * Only a final result is spoken about: the tool-use guide has `willContinue` mark a progress
   * report, and the model speaks about the outcome, so a partial result only joins the context
   * (whatever its scheduling). The client treats partial results the same way (silent).
   */
  private onNonBlockingResult(r: FunctionResponse, name: string): void {
    const session = this.session!;
    const text = `[${name} result] ${JSON.stringify(r.response ?? null)}`;
    session.history.push({ role: 'user', text, modality: 'TEXT', tokens: textTokens(text), toolResult: true });
    if (!r.willContinue) this.pendingCalls.delete(r.id);
    const scheduling = r.scheduling ?? 'WHEN_IDLE';
    this.host.fire({ type: 'toolResponseHandled', connectionId: this.id, sessionId: session.id, id: r.id, scheduling, final: !r.willContinue });
    if (r.willContinue || scheduling === 'SILENT') return;
    if (scheduling === 'INTERRUPT') {
      if (this.generation) this.interrupt();
      this.speakToolResult(name, r.response);
      return;
    }
    if (this.generation) this.idleQueue.push({ name, response: r.response });
    else this.speakToolResult(name, r.response);
  }

  private speakToolResult(name: string, response: unknown): void {
    if (this.setup!.sessionResumption) this.send({ sessionResumptionUpdate: { resumable: false } });
    this.speak('', toolReplyText(name, response), this.promptItems(), 'toolResult');
  }

  // ---------------------------------------------------------------- turns

  private audioTurn(durationMs: number, source: 'vad' | 'activity' | 'audioStreamEnd'): void {
    if (source !== 'activity' && !this.setup!.speechInterrupts && this.generation) {
      // NO_INTERRUPTION: the utterance becomes the next turn once the model has finished this one.
      this.heldAudioTurns.push({ durationMs, source });
      return;
    }
    const text = `[speech ${(durationMs / 1000).toFixed(1)} s]`;
    // The transcribe model reports what it heard even without inputAudioTranscription in the
    // setup (our choice without a source: its whole purpose is the transcript).
    if (this.setup!.inputTranscription || this.profile!.purpose === 'transcription') this.send({ serverContent: { inputTranscription: { text } } });
    this.beginTurn([{ role: 'user', text, modality: 'AUDIO', tokens: audioTokens(durationMs) }], text, source);
  }

  private beginTurn(turns: StoredTurn[], userText: string, source: 'text' | 'vad' | 'activity' | 'audioStreamEnd'): void {
    const session = this.session!;
    this.initialHistoryOpen = false;
    if (this.generation) this.interrupt();
    session.history.push(...turns);
    this.host.fire({ type: 'userTurn', connectionId: this.id, sessionId: session.id, text: userText, source });
    this.compress();
    const prompt = this.promptItems();
    if (this.setup!.sessionResumption) this.send({ sessionResumptionUpdate: { resumable: false } });
    const purpose = this.profile!.purpose;
    if (purpose !== 'conversation') {
      // Transcribe: the transcript as model text; translate: the emulated translation
      // ("[translated] <transcript>"), spoken, with its output transcription. No replies, no tools.
      this.speak(userText, purpose === 'transcription' ? userText : `[translated] ${userText}`, prompt, 'reply');
      return;
    }
    // Grounding: the service searches, then answers with the pages it used (searchGrounding.ts).
    const query = this.setup!.googleSearch ? searchQuery(userText) : undefined;
    if (query !== undefined) {
      this.send({ serverContent: { groundingMetadata: groundingMetadataFor(query) } });
      this.speak(userText, groundedReplyText(query), prompt, 'reply');
      return;
    }
    const declared = new Map(this.setup!.functionDeclarations.map((d) => [d.name, d.behavior] as const));
    const plan = planReply(session.history, userText, new Set(declared.keys()));
    if (plan.kind === 'toolCall') {
      const callId = this.host.nextFunctionCallId();
      const behavior: ToolBehavior = declared.get(plan.name) ?? this.profile!.defaultToolBehavior;
      if (behavior === 'NON_BLOCKING') {
        // The model keeps talking while the function runs; the turn completes with the call pending.
        this.pendingCalls.set(callId, plan.name);
        this.send({ toolCall: { functionCalls: [{ id: callId, name: plan.name, args: plan.args }] } });
        this.host.fire({ type: 'toolCallSent', connectionId: this.id, sessionId: session.id, id: callId, name: plan.name });
        this.speak(userText, `Starting ${plan.name} in the background.`, prompt, 'reply');
        return;
      }
      this.generation = { state: 'awaitingTool', userText, callId, name: plan.name, prompt };
      // Recorded (should_send_tool_response): the model first shows the call as executableCode, then sends toolCall.
      this.send({ serverContent: { modelTurn: { parts: [{ executableCode: { language: 'PYTHON', code: pythonCall(plan.name, plan.args) } }] } } });
      this.send({ toolCall: { functionCalls: [{ id: callId, name: plan.name, args: plan.args }] } });
      this.host.fire({ type: 'toolCallSent', connectionId: this.id, sessionId: session.id, id: callId, name: plan.name });
      return;
    }
    this.speak(userText, plan.text, prompt, 'reply');
  }

  private speak(userText: string, replyText: string, prompt: CountedItem[], phase: Speech['phase']): void {
    const audio = this.responseModality() === 'AUDIO' ? synthesizeReplyAudio(replyAudioMs(replyText), OUTPUT_SAMPLE_RATE, this.setup!.voiceName) : undefined;
    const gen: Speech = { state: 'streaming', phase, userText, replyText, chunks: chunkText(replyText), audio, next: 0, sentChars: 0, prompt, timer: undefined };
    this.generation = gen;
    const tick = () => {
      if (this.generation !== gen || this.state !== 'open') return;
      this.sendChunk(gen);
      if (this.generation !== gen || this.state !== 'open') return; // the send found a client that stopped reading
      if (gen.next < gen.chunks.length) gen.timer = this.schedule(this.host.options.replyChunkDelayMs, tick);
      else this.completeSpeech(gen);
    };
    gen.timer = this.schedule(this.host.options.replyChunkDelayMs, tick);
  }

  /**
   * One chunk of output. Models with several parts per event (3.x model pages) put two
   * parts in one modelTurn and the audio's transcription in the same serverContent;
   * 2.5 native audio sends one part per event and the transcription on its own.
   */
  private sendChunk(gen: Speech): void {
    const text = gen.chunks[gen.next]!;
    const start = gen.sentChars;
    gen.next++;
    gen.sentChars += text.length;
    const several = this.profile!.severalPartsPerEvent;
    if (!gen.audio) {
      const half = Math.ceil(text.length / 2);
      const parts = several && text.length >= 2 ? [{ text: text.slice(0, half) }, { text: text.slice(half) }] : [{ text }];
      this.send({ serverContent: { modelTurn: { parts } } });
      return;
    }
    const total = gen.replyText.length;
    const from = Math.round((start / total) * gen.audio.length);
    const to = Math.round((gen.sentChars / total) * gen.audio.length);
    const mimeType = `audio/pcm;rate=${OUTPUT_SAMPLE_RATE}`;
    // The translate model always gives the translation as text too (our choice without a source).
    const withTranscription = this.setup!.outputTranscription || this.profile!.purpose === 'translation';
    const transcription = withTranscription ? { outputTranscription: { text } } : {};
    if (several) {
      const mid = from + Math.floor((to - from) / 2);
      const parts = [gen.audio.subarray(from, mid), gen.audio.subarray(mid, to)].filter((p) => p.length > 0).map((p) => ({ inlineData: { mimeType, data: encodePcm16(p) } }));
      this.send({ serverContent: { modelTurn: { parts }, ...transcription } });
      return;
    }
    this.send({ serverContent: { modelTurn: { parts: [{ inlineData: { mimeType, data: encodePcm16(gen.audio.subarray(from, to)) } }] } } });
    if (withTranscription) this.send({ serverContent: transcription });
  }

  /**
   * Recorded order: generationComplete, then turnComplete with usageMetadata. The
   * extended-thinking model sends `interactionStatus` with every turnComplete:
   * IN_PROGRESS after its reply, then background output, then IDLE (capabilities guide).
   */
  private completeSpeech(gen: Speech): void {
    const session = this.session!;
    const profile = this.profile!;
    this.generation = undefined;
    const modality = this.responseModality();
    const responseTokens = gen.audio ? audioTokens((gen.audio.length / OUTPUT_SAMPLE_RATE) * 1000) : textTokens(gen.replyText);
    session.history.push({ role: 'model', text: gen.replyText, modality, tokens: responseTokens });
    const usage: WireUsageMetadata = buildUsage(gen.prompt, [{ modality, tokens: responseTokens }], modality);
    session.tokensUsed += usage.totalTokenCount;
    this.send({ serverContent: { generationComplete: true } });
    const moreToCome = profile.backgroundReasoning && gen.phase === 'reply';
    const status = profile.backgroundReasoning ? { interactionStatus: moreToCome ? 'IN_PROGRESS' : 'IDLE' } : {};
    this.send({ serverContent: { turnComplete: true, ...status }, usageMetadata: usage });
    if (gen.phase === 'reply') this.host.fire({ type: 'turnAnswered', connectionId: this.id, sessionId: session.id, userText: gen.userText, replyText: gen.replyText, usage });
    else if (gen.phase === 'toolResult') this.host.fire({ type: 'toolResultSpoken', connectionId: this.id, sessionId: session.id, replyText: gen.replyText });
    if (moreToCome) {
      const prompt = [...gen.prompt, { modality, tokens: responseTokens }];
      this.speak(gen.userText, `On reflection: ${gen.replyText}`, prompt, 'background');
      return;
    }
    this.host.fire({ type: 'modelIdle', connectionId: this.id, sessionId: session.id });
    this.issueHandle();
    const held = this.heldAudioTurns.shift();
    if (held && this.state === 'open') {
      this.audioTurn(held.durationMs, held.source);
      return;
    }
    const queued = this.idleQueue.shift();
    if (queued && this.state === 'open') this.speakToolResult(queued.name, queued.response);
  }

  /**
   * Barge-in: `interrupted`, and the reply stops. The interrupted turn gets no
   * generationComplete or turnComplete (our reading of the real service; clients
   * must treat `interrupted` as the end of that reply). What was already sent stays
   * in the history as the model's (partial) turn. A pending BLOCKING call is
   * cancelled; NON_BLOCKING calls keep running.
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
      session.history.push({ role: 'model', text: partial, modality: this.responseModality(), tokens });
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

  /** The model's input token limit, from its profile (never guessed from the name). */
  private contextWindow(): number {
    return this.profile!.inputTokenLimit;
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
    while (context > target && dropped < session.history.length - 1) {
      context -= session.history[dropped]!.tokens;
      dropped++;
    }
    session.dropFront(dropped);
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
      if (this.ws.readyState !== this.ws.OPEN) return;
      this.ws.send(binary ? Buffer.from(json, 'utf8') : json, { binary });
      this.checkBackpressure();
    });
  }

  /**
   * Backpressure (issue 14): a client that stops reading makes every frame pile up in
   * this socket's write buffer. Past `maxBufferedBytes` the connection is cut (no close
   * frame could get through a full buffer anyway) and its memory freed at once.
   */
  private checkBackpressure(): void {
    const limit = this.host.options.maxBufferedBytes;
    if (this.ws.bufferedAmount <= limit || this.state === 'closed') return;
    this.log.info(`client stopped reading (${this.ws.bufferedAmount} bytes buffered > ${limit}): cutting the connection`);
    this.host.fire({ type: 'slowConsumerCut', connectionId: this.id, sessionId: this.session?.id, bufferedBytes: this.ws.bufferedAmount });
    this.serverClose = { code: 1006, reason: 'client not reading' };
    this.state = 'closing';
    this.stopGeneration();
    for (const t of this.timers) t.dispose();
    this.timers.clear();
    this.outbound.dispose();
    this.ws.terminate();
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
    this.pendingCalls.clear();
    this.idleQueue.length = 0;
    this.heldAudioTurns.length = 0;
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
