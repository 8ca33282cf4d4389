/**
 * What a socket closed before `setupComplete` means, decided by its close code alone
 * (LIVE-PROTOCOL.md, "Close codes seen in the wild"). Pure: the session carries the
 * action out, and this table is tested on its own.
 *
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
export type SetupRefusalAction = 'retryAfterOldSocketCloses' | 'replaceCredential' | 'startFresh' | 'failBadSetup' | 'reconnect';

export interface SetupRefusalContext {
  /** This setup was sent by a handoff while the previous socket's close was still completing. */
  readonly handoffWithOldSocketClosing: boolean;
  /** This setup carried a resumption handle. */
  readonly resumedWithHandle: boolean;
}

export function classifySetupRefusal(code: number, context: SetupRefusalContext): SetupRefusalAction {
  if (code === 1011 && context.handoffWithOldSocketClosing) return 'retryAfterOldSocketCloses';
  if (code === 1008) return 'replaceCredential';
  if (code === 1007) return context.resumedWithHandle ? 'startFresh' : 'failBadSetup';
  return 'reconnect';
}
