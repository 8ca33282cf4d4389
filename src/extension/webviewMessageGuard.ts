/**
 * The host's second line behind the protocol parser for messages from the panel:
 * a rate limit per message type, and value checks the shapes alone cannot make
 * (a setting written from the panel must fit the same bounds as the settings schema).
 * No vscode import: unit-tested with a fake clock.
 *
 * @remarks
 * The webview is our own code, but it runs web content (Markdown of the history,
 * model text) and a bug or a compromised page could flood the host: every
 * `settings/update` is a configuration write (and a handoff), every `chat/send` a
 * turn. A drop is counted, never thrown; the counts are logged at most once per
 * second, so a flood does not become a log flood.
 */
import type { Clock } from '../common/clock';
import type { Disposable } from '../common/disposable';
import type { Logger } from '../common/logger';
import { CAPTURE_FRAME_SAMPLES, CAPTURE_SAMPLE_RATE } from '../protocol/audioFormat';
import { ToHostSchema, type ToHost } from '../protocol/messages';
import { SettingKeys } from './constants';
import { checkNumberSetting } from './settingPolicy';

export interface RateLimit {
  /** Messages per second, sustained. */
  readonly perSecond: number;
  /** Messages allowed at once after a quiet spell (the bucket's size). */
  readonly burst: number;
}

/** The capture frame rate: 16 kHz / 640 samples = 25 chunks per second. */
export const AUDIO_FRAMES_PER_SECOND = CAPTURE_SAMPLE_RATE / CAPTURE_FRAME_SAMPLES;
/**
 * Audio chunks: the frame rate with 20 % headroom, because the frames are timed by the
 * audio device's clock and the bucket by the host's: at exactly 25/s a device running
 * 0.5 % fast would empty any burst within minutes and then lose a frame in every 200.
 * The burst absorbs 5 s of backlog from a page whose main thread stalled (a loaded
 * machine, a hidden tab); older audio than that is stale for a live conversation.
 */
export const AUDIO_CHUNK_LIMIT: RateLimit = { perSecond: AUDIO_FRAMES_PER_SECOND * 1.2, burst: AUDIO_FRAMES_PER_SECOND * 5 };
/** Everything else is a click, a keystroke's result or a 5 Hz level: far below this. */
export const DEFAULT_MESSAGE_LIMIT: RateLimit = { perSecond: 20, burst: 40 };

/**
 * Answers' links and Insert at Cursor are clicks: a few a second is generous. A page
 * that fires more is not a user, and each one opens a browser prompt or edits a file.
 */
export const ANSWER_ACTION_LIMIT: RateLimit = { perSecond: 2, burst: 5 };

const LIMITS: Readonly<Record<string, RateLimit>> = { 'audio/chunk': AUDIO_CHUNK_LIMIT, 'link/open': ANSWER_ACTION_LIMIT, 'code/insert': ANSWER_ACTION_LIMIT };
/** Each message type of the protocol has its own bucket; anything else shares one, so made-up types neither grow the map nor get fresh buckets. */
const KNOWN_TYPES: ReadonlySet<string> = new Set(ToHostSchema.options.map((o) => o.entries.type.literal));
const REPORT_INTERVAL_MS = 1_000;

interface Bucket {
  tokens: number;
  at: number;
}

export class WebviewMessageGuard implements Disposable {
  private readonly buckets = new Map<string, Bucket>();
  private readonly dropped = new Map<string, number>();
  private droppedTotal = 0;
  private report: Disposable | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Messages dropped by the rate limit since this guard was made (tests, debug info). */
  get droppedCount(): number {
    return this.droppedTotal;
  }

  /**
   * True when a message of `type` may be handled now; false when it is over its
   * type's rate (it is counted, and logged within a second). Never throws.
   */
  admit(type: unknown): boolean {
    const key = typeof type === 'string' && KNOWN_TYPES.has(type) ? type : '(unknown)';
    const limit = LIMITS[key] ?? DEFAULT_MESSAGE_LIMIT;
    const now = this.clock.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: limit.burst, at: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    this.dropped.set(key, (this.dropped.get(key) ?? 0) + 1);
    this.droppedTotal++;
    this.report ??= this.clock.setTimeout(() => this.flush(), REPORT_INTERVAL_MS);
    return false;
  }

  dispose(): void {
    this.report?.dispose();
    this.flush();
  }

  private flush(): void {
    this.report = undefined;
    if (this.dropped.size === 0) return;
    const parts = [...this.dropped].map(([type, n]) => `${type}: ${n}`);
    this.dropped.clear();
    this.log.warn(`dropped panel messages over their rate limit in the last second (${parts.join(', ')})`);
  }
}

/**
 * Checks the values of a parsed message against the settings schema's bounds
 * (settingPolicy.ts, itself checked against package.json). Undefined when fine, else
 * a sentence naming the setting; the caller writes nothing then.
 */
export function checkMessageValues(msg: ToHost): string | undefined {
  if (msg.type !== 'settings/update') return undefined;
  const c = msg.settings.compression;
  if (c) {
    return checkNumberSetting(SettingKeys.compressionTriggerTokens, c.triggerTokens) ?? checkNumberSetting(SettingKeys.compressionRatio, c.compressionRatio);
  }
  return undefined;
}
