/**
 * `moontalk-live chat` declares no tools, but a server may still send a `toolCall`
 * (a model that calls a function it was not given, or a test server). The Live API
 * then waits for a `toolResponse` before the turn goes on, so an unanswered call
 * would leave the CLI waiting for a `turnComplete` that never comes. Each call is
 * answered at once with an error, on the connection it came on, and the answer is
 * printed as a `toolResponse` JSON line after the `toolCall` line.
 */
import { errorMessage } from '../common/errors';
import type { Logger } from '../common/logger';
import type { FunctionResponse } from '../core/messages';
import type { SessionEvent } from '../core/sessionEvents';
import type { JsonLine } from './jsonLines';

export const NO_TOOLS_ERROR = 'moontalk-live chat serves no tools';

type ToolCallEvent = Extract<SessionEvent, { type: 'toolCall' }>;

/** What this needs of the session: which connection is live, and a way to answer on it. */
export interface ToolCallSession {
  readonly publicState: { kind: string; connection?: number };
  sendToolResponse(responses: FunctionResponse[]): void;
}

export function refuseToolCall(session: ToolCallSession, e: ToolCallEvent, io: { emit(line: JsonLine): void; logger: Logger }): void {
  const st = session.publicState;
  const live = st.kind === 'connected' || st.kind === 'handingOff' ? st.connection : undefined;
  if (live !== e.connection) {
    // An answer on another connection would belong to no call there; the old one is gone with its calls.
    io.logger.warn(`a tool call arrived on connection ${e.connection}, which is no longer live; not answered`);
    return;
  }
  const responses: FunctionResponse[] = e.calls.map((c) => ({ ...(c.id ? { id: c.id } : {}), name: c.name, response: { error: NO_TOOLS_ERROR } }));
  try {
    session.sendToolResponse(responses);
  } catch (err) {
    io.logger.warn(`could not answer a tool call: ${errorMessage(err)}`);
    return;
  }
  io.emit({ type: 'toolResponse', turn: e.turn, connection: e.connection, responses: responses.map((r) => ({ id: r.id, name: r.name, error: NO_TOOLS_ERROR })) });
}
