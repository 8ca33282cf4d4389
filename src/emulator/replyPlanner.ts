/**
 * The emulator's "model": deterministic replies so tests can assert on content.
 *
 * - `what did i say first` → the first user text still in the (possibly restored,
 *   possibly compressed) history: `You first said: "<text>"`.
 * - `what did i say last` → the user text before this one: `You last said: "<text>"`.
 * - `call tool NAME {json}` → a function call NAME with those args, when the setup
 *   declared NAME (the service only calls declared functions); otherwise an echo.
 * - anything else → `You said: <text>`.
 */

export interface HistoryTurn {
  role: 'user' | 'model';
  text: string;
  /** A function result sent by the client: context, not something the user said. */
  toolResult?: boolean;
}

export type ReplyPlan = { kind: 'text'; text: string } | { kind: 'toolCall'; name: string; args: Record<string, unknown> };

const TOOL_PROMPT = /call tool\s+([A-Za-z0-9_.:-]+)\s*(\{[\s\S]*\})?/i;

/**
 * Plans the reply to `userText`, given `history` that already ends with that
 * user turn (earlier turns come first).
 */
export function planReply(history: readonly HistoryTurn[], userText: string, declaredTools: ReadonlySet<string> = new Set()): ReplyPlan {
  const lower = userText.toLowerCase();
  const userTexts = history.filter((t) => t.role === 'user' && !t.toolResult).map((t) => t.text);
  if (lower.includes('what did i say first')) {
    // The current prompt is the last user entry; "first" means the first one before it.
    const first = userTexts.length >= 2 ? userTexts[0] : undefined;
    return { kind: 'text', text: first !== undefined ? `You first said: "${first}"` : 'You have not said anything before.' };
  }
  if (lower.includes('what did i say last')) {
    // The current prompt is the last user entry; the one before it is "last".
    const previous = userTexts.length >= 2 ? userTexts[userTexts.length - 2] : undefined;
    return { kind: 'text', text: previous !== undefined ? `You last said: "${previous}"` : 'You have not said anything before.' };
  }
  const tool = TOOL_PROMPT.exec(userText);
  if (tool && declaredTools.has(tool[1]!)) {
    let args: Record<string, unknown> = {};
    if (tool[2]) {
      try {
        const parsed: unknown = JSON.parse(tool[2]);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) args = parsed as Record<string, unknown>;
      } catch {
        return { kind: 'text', text: `You said: ${userText}` };
      }
    }
    return { kind: 'toolCall', name: tool[1]!, args };
  }
  return { kind: 'text', text: `You said: ${userText}` };
}

/** The reply after a tool answered. */
export function toolReplyText(name: string, response: unknown): string {
  return `Tool ${name} returned ${JSON.stringify(response ?? null)}`;
}

/**
 * Splits reply text into 2–4 chunks (one per ~16 characters, at least 2 when the
 * text allows), like the recorded replies that arrive in a few pieces.
 */
export function chunkText(text: string): string[] {
  if (text.length <= 1) return [text];
  const n = Math.min(4, Math.max(2, Math.ceil(text.length / 16)), text.length);
  const size = Math.ceil(text.length / n);
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}
