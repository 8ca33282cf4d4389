/**
 * Why a turn ended, in plain words, from the server's `turnCompleteReason` (the SDK's
 * TurnCompleteReason values): most end quietly; a safety block, a refusal or a request for
 * more input is worth a line in the transcript. Undefined for a plain end.
 */
import type { Localize } from './localize';

export function turnEndNotice(reason: string | undefined, t: Localize): string | undefined {
  if (!reason || reason === 'TURN_COMPLETE_REASON_UNSPECIFIED') return undefined;
  switch (reason) {
    case 'NEED_MORE_INPUT':
      return t('Gemini needs more from you to answer.');
    case 'RESPONSE_REJECTED':
      return t('Gemini declined to answer that.');
    case 'MALFORMED_FUNCTION_CALL':
      return t('Gemini tried to use a tool in a way that did not work, so the answer may be incomplete.');
    case 'MAX_REGENERATION_REACHED':
      return t('Gemini could not produce an answer this time. Try asking again.');
    default:
      break;
  }
  // The service names its safety blocks by where they struck: the request (INPUT_…, PROHIBITED_INPUT_…,
  // IMAGE_PROHIBITED_INPUT_…, BLOCKLIST) or the answer (GENERATED_…, OUTPUT_…, UNSAFE_…).
  if (/^(INPUT_|PROHIBITED_INPUT|IMAGE_PROHIBITED_INPUT|BLOCKLIST$)/.test(reason)) return t('Gemini did not answer: your message was blocked by its safety rules.');
  if (/^(GENERATED_|OUTPUT_|UNSAFE_)/.test(reason)) return t('Gemini stopped its answer: it was blocked by its safety rules.');
  return t('The answer ended early ({0}).', reason);
}
