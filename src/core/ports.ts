/**
 * The ports the session core needs from the outside world. `src/live/` implements
 * them over `ws` and `fetch`; tests implement them with fakes. The core never
 * touches a socket, a timer or the environment directly.
 */
import type { Disposable } from '../common/disposable';
import type { Event } from '../common/event';
import type { ClientMessage, ServerFrame } from './messages';

/** What authenticates one WebSocket. */
export type Credential = { kind: 'apiKey'; apiKey: string } | { kind: 'token'; name: string };

export interface CloseInfo {
  code: number;
  reason: string;
}

/**
 * One upgraded WebSocket, before or after `setup`. `open` resolves as soon as the
 * upgrade is done, which is what makes a warm standby possible.
 */
export interface Transport extends Disposable {
  send(message: ClientMessage): void;
  /**
   * Sends a close frame and resolves once the server acknowledged it (the close
   * handshake completed) or after `ackTimeoutMs`, when the socket is destroyed.
   * Waiting for the acknowledgement matters: the service refuses a resume (1011)
   * while an older socket of the same session is still open.
   */
  close(code: number, reason: string, ackTimeoutMs: number): Promise<void>;
  readonly onFrame: Event<ServerFrame>;
  /** A frame that could not be parsed; the connection stays up and nothing is lost but that frame. */
  readonly onBadFrame: Event<{ error: string; bytes: number }>;
  /** Fires once, for any end: a close frame (its code), a break (1006), or our own close. */
  readonly onClose: Event<CloseInfo>;
}

export interface TransportFactory {
  /**
   * Opens and upgrades a WebSocket for `credential`.
   * Rejects with a MoonTalkError: reason 'badKey'/'tokenRefused' on HTTP 401/403,
   * 'network' when the server cannot be reached.
   */
  open(credential: Credential): Promise<Transport>;
}

export type CredentialPurpose = 'newSession' | 'resume';

/**
 * Supplies credentials per connection attempt (an API key, or ephemeral tokens
 * minted and renewed as needed).
 */
export interface CredentialSource {
  readonly mode: Credential['kind'];
  /** A credential fit for the purpose: a new session needs a token that can still start one. */
  get(purpose: CredentialPurpose): Promise<Credential>;
  /**
   * The server refused `refused`. Returns a fresh credential to retry with once,
   * or undefined when retrying cannot help (an API key is what it is).
   */
  replaceRefused(refused: Credential): Promise<Credential | undefined>;
}

/** A credential source for a plain API key. */
export class ApiKeyCredentials implements CredentialSource {
  readonly mode = 'apiKey' as const;
  constructor(private readonly apiKey: string) {}
  async get(): Promise<Credential> {
    return { kind: 'apiKey', apiKey: this.apiKey };
  }
  async replaceRefused(): Promise<Credential | undefined> {
    return undefined;
  }
}

/** Uniform random numbers in [0, 1); injected so jitter is testable. */
export type Random = () => number;

export type { Disposable };
