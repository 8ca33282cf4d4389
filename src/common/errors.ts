/**
 * Why something failed, as data. User-facing text is made from the reason in one
 * place per surface (CLI, extension), never by matching message strings.
 */
export type ErrorReason =
  | 'badKey' // the server refused the API key (1008, HTTP 401/403)
  | 'tokenRefused' // an ephemeral token was refused (expired, used up, constraints)
  | 'tokenMint' // minting a token failed
  | 'handleRejected' // the resumption handle was refused (1007); a fresh session follows
  | 'badSetup' // the server rejected our setup (1007 without a handle)
  | 'modelNotFound' // 1008 "models/X is not found … or is not supported for bidiGenerateContent": the model, not the credential
  | 'quota' // quota or rate limit (HTTP 429, RESOURCE_EXHAUSTED): retrying soon cannot help
  | 'noResponse' // a turn got no answer within the response timeout, even after a reconnect
  | 'network' // could not reach the server, or the connection broke
  | 'gaveUp' // reconnect attempts exhausted
  | 'protocol' // a frame we could not understand
  | 'invalidConfig' // a configuration value out of range
  | 'queueFull' // a bounded queue refused more input
  | 'closed' // the session was closed
  | 'serverError'; // any other server-side close

export class MoonTalkError extends Error {
  constructor(
    readonly reason: ErrorReason,
    message: string,
    readonly details: {
      cause?: unknown;
      /** A close code or HTTP status. */
      code?: number;
      /** The server's close reason (or error text) that went with `code`, as received. */
      closeReason?: string;
      field?: string;
      model?: string;
    } = {},
  ) {
    super(message);
    this.name = 'MoonTalkError';
  }
}

export function isMoonTalkError(err: unknown, reason?: ErrorReason): err is MoonTalkError {
  return err instanceof MoonTalkError && (reason === undefined || err.reason === reason);
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
