/**
 * Checks an outgoing host→webview message against the protocol schema, so a host
 * bug cannot send a bad shape. On in development and tests (it costs a parse per
 * message), off in production, where the webview validates on receipt anyway.
 */
import { isProtocolError, parseToWebview, type ToWebview } from '../protocol/messages';

export class InvalidOutgoingMessageError extends Error {
  constructor(
    readonly messageType: string,
    readonly field: string,
    detail: string,
  ) {
    super(`host sent an invalid ${messageType} message: ${detail}`);
    this.name = 'InvalidOutgoingMessageError';
  }
}

/** Throws InvalidOutgoingMessageError naming the bad field. */
export function assertValid(message: ToWebview): void {
  const parsed = parseToWebview(message);
  if (isProtocolError(parsed)) throw new InvalidOutgoingMessageError(message.type, parsed.field, parsed.message);
}
