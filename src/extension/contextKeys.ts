/**
 * Mirrors state into the context keys package.json's `when` clauses use, so
 * commands that make no sense now are hidden instead of failing. Each key is set
 * only when its value changes.
 */
import * as vscode from 'vscode';
import { ContextKeys } from './constants';
import { Disposable } from './lifecycle';
import type { ListeningController } from './listeningController';
import type { Secrets } from './secrets';
import type { SessionController } from './sessionController';
import type { Settings } from './settings';

export class ContextKeySync extends Disposable {
  private readonly values = new Map<string, unknown>();
  private hasApiKey = false;
  private hasBrokerCredential = false;

  constructor(
    private readonly session: SessionController,
    private readonly listening: ListeningController,
    private readonly settings: Settings,
    private readonly secrets: Secrets,
  ) {
    super();
    this._register(session.onDidChangeSession(() => this.update()));
    this._register(listening.onDidChange(() => this.update()));
    this._register(settings.onDidChange(() => this.update()));
    this._register(session.onDidChangeSpeaking(() => this.update()));
    this._register(secrets.onDidChange(() => void this.readSecrets()));
    this.update();
    void this.readSecrets();
  }

  /** Whether a key is stored, as last read (for quick picks). */
  get apiKeyStored(): boolean {
    return this.hasApiKey;
  }

  private async readSecrets(): Promise<void> {
    this.hasApiKey = await this.secrets.hasApiKey();
    this.hasBrokerCredential = (await this.secrets.getBrokerCredential()) !== undefined;
    this.update();
  }

  private update(): void {
    if (this.isDisposed) return;
    const s = this.settings.current;
    this.set(ContextKeys.sessionState, this.session.state.kind);
    this.set(ContextKeys.listening, this.listening.isListening);
    this.set(ContextKeys.speaking, this.session.isSpeaking);
    this.set(ContextKeys.hasApiKey, this.hasApiKey);
    this.set(ContextKeys.hasBrokerCredential, this.hasBrokerCredential);
    this.set(ContextKeys.backend, s.backend);
    this.set(ContextKeys.tokensEnabled, s.tokens.enabled);
    const canMint = s.tokens.enabled && (s.backend === 'emulator' || (s.tokens.brokerUrl ? this.hasBrokerCredential : this.hasApiKey));
    this.set(ContextKeys.canMintToken, canMint);
  }

  private set(key: string, value: unknown): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }
}
