/**
 * What a socket closed before `setupComplete` means, decided by its close code and reason
 * (LIVE-PROTOCOL.md, "Close codes seen in the wild"). Pure: the session carries the
 * action out, and this table is tested on its own.
 *
 * - A reason saying the model is not found or not supported ("models/X is not found for API
 *   version v1beta, or is not supported for bidiGenerateContent", python-genai issue 362), on
 *   any code: the model is the problem, not the credential. Replacing the token or retrying
 *   cannot help, so fail naming the model.
 * - Quota (1008/1011 whose reason says RESOURCE_EXHAUSTED or quota): retrying soon only burns
 *   more of it, so fail instead of looping.
 * - 1011 during a handoff whose old socket is still closing: the service saw our setup
 *   before our close frame and refused the resume as contested; retry once that close
 *   is done (a 1011 elsewhere is the service's own trouble: reconnect).
 * - 1008: policy, meaning a refused key or a used-up or expired token. Replacing the
 *   credential may help (a fresh token); retrying the same one cannot.
 * - 1007 on a resume: the handle is stale or refused. Start a fresh session and resend
 *   the turns as context. 1007 on a fresh setup: our setup itself is wrong; retrying
 *   the same frame cannot help, so fail with a clear error.
 * - Anything else (1006 drops, 1001, 1011): transient; reconnect with backoff.
 */
export type SetupRefusalAction = 'failModelNotFound' | 'failQuota' | 'retryAfterOldSocketCloses' | 'replaceCredential' | 'startFresh' | 'failBadSetup' | 'reconnect';

export interface SetupRefusalContext {
  /** This setup was sent by a handoff while the previous socket's close was still completing. */
  readonly handoffWithOldSocketClosing: boolean;
  /** This setup carried a resumption handle. */
  readonly resumedWithHandle: boolean;
}

/** The server's words for "this model does not exist for this API / this method". */
export function saysModelNotFound(reason: string): boolean {
  // The service's words (python-genai issue 362): "models/NAME is not found for API version v1beta,
  // or is not supported for bidiGenerateContent. Call ListModels …". Narrow on purpose: a 1007
  // saying a *field* "is not supported by this model" is a bad setup, not a missing model.
  return /models\/\S+ is not found|not supported for bidiGenerateContent/i.test(reason);
}

/** The server's words for a used-up quota or a rate limit. */
export function saysQuota(reason: string): boolean {
  return /RESOURCE_EXHAUSTED|quota/i.test(reason);
}

/** A close (before or after setupComplete) that retrying cannot fix, or undefined. HTTP 429 counts as quota. */
export function fatalCloseKind(code: number, reason: string): 'modelNotFound' | 'quota' | undefined {
  if (code === 1008 && saysModelNotFound(reason)) return 'modelNotFound';
  if (code === 429 || ((code === 1008 || code === 1011) && saysQuota(reason))) return 'quota';
  return undefined;
}

export function classifySetupRefusal(code: number, context: SetupRefusalContext, reason = ''): SetupRefusalAction {
  const fatal = fatalCloseKind(code, reason);
  if (fatal === 'modelNotFound') return 'failModelNotFound';
  if (fatal === 'quota') return 'failQuota';
  if (code === 1011 && context.handoffWithOldSocketClosing) return 'retryAfterOldSocketCloses';
  if (code === 1008) return 'replaceCredential';
  if (code === 1007) return context.resumedWithHandle ? 'startFresh' : 'failBadSetup';
  return 'reconnect';
}
