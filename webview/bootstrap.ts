/**
 * What the host embeds in the panel's HTML (src/extension/panelHtml.ts): the full state
 * for the first paint and the worklet URLs. Parsed here, DOM-free, so bad input is
 * tested in Node; main.ts reads the data attributes and passes the strings.
 */
import { PROTOCOL_VERSION, isProtocolError, parseToWebview, type FullState } from '../src/protocol/messages';

/** The AudioWorklet module URLs the host resolves with asWebviewUri (one bundle per processor). */
export interface WorkletUrls {
  readonly capture: string;
  readonly playback: string;
}

/**
 * The bootstrap state, validated like an `init` message (the one validator), or null
 * when there is none or it is unreadable; `warn` hears why it was ignored.
 */
export function parseBootstrap(raw: string | undefined, warn: (message: string) => void = () => {}): FullState | null {
  if (!raw) return null;
  let state: unknown;
  try {
    state = JSON.parse(raw);
  } catch (err) {
    warn(`ignoring unreadable bootstrap state: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
  const msg = parseToWebview({ type: 'init', version: PROTOCOL_VERSION, state });
  if (isProtocolError(msg)) {
    warn(`ignoring invalid bootstrap state: ${msg.message}`);
    return null;
  }
  return msg.type === 'init' ? msg.state : null;
}

/** The worklet module URLs; empty strings when missing or unreadable (capture then reports it cannot start). */
export function parseWorklets(raw: string | undefined): WorkletUrls {
  try {
    const w = JSON.parse(raw ?? '{}') as Partial<Record<keyof WorkletUrls, unknown>> | null;
    return { capture: String(w?.capture ?? ''), playback: String(w?.playback ?? '') };
  } catch {
    return { capture: '', playback: '' };
  }
}
