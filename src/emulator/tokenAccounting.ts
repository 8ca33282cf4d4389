/**
 * How the emulator counts tokens. Deliberately simple but honest, so a client's
 * budget logic sees numbers that move the way the real service's do:
 * - text: ceil(characters / 4), the usual rule of thumb for Gemini tokenizers;
 * - audio: 32 tokens per second (Gemini docs, "Audio understanding": each second
 *   of audio is 32 tokens), for both input and output audio.
 */

export type TokenModality = 'TEXT' | 'AUDIO';

export const AUDIO_TOKENS_PER_SECOND = 32;

export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function audioTokens(durationMs: number): number {
  return Math.ceil((Math.max(0, durationMs) / 1000) * AUDIO_TOKENS_PER_SECOND);
}

/** One modality's share, in the wire shape of `ModalityTokenCount`. */
export interface ModalityTokenCount {
  modality: TokenModality;
  tokenCount: number;
}

/** The `usageMetadata` object as the emulator sends it (field order as recorded). */
export interface WireUsageMetadata {
  promptTokenCount: number;
  responseTokenCount: number;
  totalTokenCount: number;
  promptTokensDetails: ModalityTokenCount[];
  responseTokensDetails: ModalityTokenCount[];
}

export interface CountedItem {
  modality: TokenModality;
  tokens: number;
}

/** Sums items per modality, TEXT first, leaving out empty modalities (but never returning an empty list). */
export function modalityDetails(items: readonly CountedItem[], fallback: TokenModality = 'TEXT'): ModalityTokenCount[] {
  const sums = new Map<TokenModality, number>();
  for (const item of items) sums.set(item.modality, (sums.get(item.modality) ?? 0) + item.tokens);
  const out: ModalityTokenCount[] = [];
  for (const modality of ['TEXT', 'AUDIO'] as const) {
    const n = sums.get(modality);
    if (n !== undefined && n > 0) out.push({ modality, tokenCount: n });
  }
  if (out.length === 0) out.push({ modality: fallback, tokenCount: 0 });
  return out;
}

/**
 * Builds usage for one answered turn. `prompt` is the whole context the model
 * saw (system instruction and history including the new user turn), `response`
 * what it produced; total = prompt + response.
 */
export function buildUsage(prompt: readonly CountedItem[], response: readonly CountedItem[], responseModality: TokenModality): WireUsageMetadata {
  const promptTokenCount = prompt.reduce((s, i) => s + i.tokens, 0);
  const responseTokenCount = response.reduce((s, i) => s + i.tokens, 0);
  return {
    promptTokenCount,
    responseTokenCount,
    totalTokenCount: promptTokenCount + responseTokenCount,
    promptTokensDetails: modalityDetails(prompt),
    responseTokensDetails: modalityDetails(response, responseModality),
  };
}
