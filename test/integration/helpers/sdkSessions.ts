import type { Session } from '@google/genai';

/**
 * Sessions of the official SDK that a describe block opens, closed after each test. While a
 * test runs the SDK's console warnings (ephemeral tokens are experimental) are silenced, to
 * keep the test output clean. Call inside a `describe` callback: it registers the block's
 * `beforeEach` and `afterEach` (before any the block registers after the call).
 */
export function useSdkSessions(): { track(session: Session): Session } {
  const originalWarn = console.warn;
  let sessions: Session[] = [];
  beforeEach(() => {
    console.warn = () => {};
  });
  afterEach(() => {
    console.warn = originalWarn;
    for (const s of sessions) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
    sessions = [];
  });
  return {
    track(session) {
      sessions.push(session);
      return session;
    },
  };
}
