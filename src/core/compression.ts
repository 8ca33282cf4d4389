/**
 * Context window compression settings, validated where they enter, and their wire form.
 * Without compression a session is capped (about 15 min audio-only); with it the
 * server drops the oldest turns from `triggerTokens` down to the sliding window's target.
 */
import type { ClientSetup } from './messages';
import { modelProfile } from './models';

export interface CompressionConfig {
  enabled: boolean;
  /** Context size that triggers compression. Default 25 000. */
  triggerTokens: number;
  /** Target after compression as a fraction of the trigger, 0 < ratio < 1. Default 0.5. */
  compressionRatio: number;
  /** Use the sliding window mechanism (the only one the API has today). Default true. */
  useSlidingWindow: boolean;
}

export const DEFAULT_COMPRESSION: CompressionConfig = {
  enabled: true,
  triggerTokens: 25_000,
  compressionRatio: 0.5,
  useSlidingWindow: true,
};

/** The model's input token limit, from the table of models (a cautious default for unknown names). */
export function contextWindowTokens(model: string): number {
  return modelProfile(model).contextWindowTokens;
}

/** Returns an error naming the bad field, or undefined when the config is usable for `model`. */
export function validateCompression(config: CompressionConfig, model: string): string | undefined {
  if (!Number.isInteger(config.triggerTokens) || config.triggerTokens <= 0) {
    return `compression.triggerTokens must be a whole number greater than 0 (got ${config.triggerTokens})`;
  }
  const window = contextWindowTokens(model);
  if (config.triggerTokens > window) {
    return `compression.triggerTokens (${config.triggerTokens}) exceeds the context window of ${model} (${window} tokens)`;
  }
  if (!(config.compressionRatio > 0 && config.compressionRatio < 1)) {
    return `compression.compressionRatio must be between 0 and 1, exclusive (got ${config.compressionRatio})`;
  }
  if (targetTokens(config) < 1) return 'compression.compressionRatio leaves a target of 0 tokens';
  return undefined;
}

export function targetTokens(config: CompressionConfig): number {
  return Math.floor(config.triggerTokens * config.compressionRatio);
}

/** The `setup.contextWindowCompression` value, or undefined when compression is off. int64s go as strings, as the SDK sends them. */
export function toWireCompression(config: CompressionConfig): ClientSetup['contextWindowCompression'] | undefined {
  if (!config.enabled) return undefined;
  const wire: NonNullable<ClientSetup['contextWindowCompression']> = { triggerTokens: String(config.triggerTokens) };
  if (config.useSlidingWindow) wire.slidingWindow = { targetTokens: String(targetTokens(config)) };
  return wire;
}
