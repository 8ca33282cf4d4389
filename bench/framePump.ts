/**
 * An in-process stand-in for the socket, for the core A/B bench: a TransportFactory whose
 * transports answer a setup with setupComplete and every user turn with a fixed stream of
 * already parsed frames, all delivered in one macrotask (as `ws` delivers the messages of
 * one socket read). No sockets, no JSON: what is left to measure is the session core (and
 * the Emitter that hands it the frames), so its cost per frame shows without the
 * transport's noise.
 */
import { Emitter } from '../src/common/event';
import type { ClientMessage, ServerFrame } from '../src/core/messages';
import type { CloseInfo, Transport, TransportFactory } from '../src/core/ports';

export type PumpStream = 'text' | 'audio';

/** Frames per turn of each stream (with the closing generationComplete, turnComplete + usage, resumption update). */
export const PUMP_CHUNKS = Number(process.env.PUMP_CHUNKS ?? 48);
export const PUMP_FRAMES_PER_TURN = PUMP_CHUNKS + 3;

// 40 ms of 24 kHz PCM16 in base64: the size of one audio chunk from the service.
const AUDIO_CHUNK = Buffer.alloc(1920).toString('base64');

/** The frames of one answer. New objects every turn, as the parser makes them. */
function answer(stream: PumpStream, handle: number): ServerFrame[] {
  const frames: ServerFrame[] = [];
  for (let i = 0; i < PUMP_CHUNKS; i++) {
    if (stream === 'text') frames.push({ serverContent: { modelTurn: { parts: [{ text: `chunk ${i} of a streamed model answer, about this long. ` }] } } });
    // Today's default model: audio chunks with the output transcription between them.
    else if (i % 2 === 0) frames.push({ serverContent: { modelTurn: { parts: [{ inlineData: { mimeType: 'audio/pcm;rate=24000', data: AUDIO_CHUNK } }] } } });
    else frames.push({ serverContent: { outputTranscription: { text: `words ${i} of the spoken answer ` } } });
  }
  frames.push({ serverContent: { generationComplete: true } });
  frames.push({
    serverContent: { turnComplete: true },
    usageMetadata: { promptTokenCount: 515, responseTokenCount: 31, totalTokenCount: 546, promptTokensDetails: [{ modality: 'TEXT' as never, tokenCount: 515 }] },
  });
  frames.push({ sessionResumptionUpdate: { newHandle: `pump-handle-${handle}`, resumable: true } });
  return frames;
}

class PumpTransport implements Transport {
  private readonly frames = new Emitter<ServerFrame>();
  private readonly closes = new Emitter<CloseInfo>();
  readonly onFrame = this.frames.event;
  readonly onBadFrame = new Emitter<{ error: string; bytes: number }>().event;
  readonly onClose = this.closes.event;
  private open = true;
  private handle = 0;

  constructor(private readonly stream: PumpStream) {}

  send(message: ClientMessage): void {
    if (!this.open) throw new Error('socket closed');
    if (message.setup) this.deliver([{ setupComplete: {} }]);
    else if (message.clientContent?.turnComplete || message.realtimeInput?.text) this.deliver(answer(this.stream, ++this.handle));
  }

  private deliver(frames: ServerFrame[]): void {
    setImmediate(() => {
      for (const f of frames) if (this.open) this.frames.fire(f);
    });
  }

  close(code: number, reason: string): Promise<void> {
    if (this.open) {
      this.open = false;
      this.closes.fire({ code, reason });
    }
    return Promise.resolve();
  }

  dispose(): void {
    void this.close(1000, 'disposed');
  }
}

export function framePump(stream: PumpStream): TransportFactory {
  return { open: async () => new PumpTransport(stream) };
}
