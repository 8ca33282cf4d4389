/**
 * The API key and the team broker credential, in SecretStorage and nowhere else:
 * never in settings, the webview, logs, events, error text or the debug JSON.
 * Every value read or written is registered with the Redactor first, so even a
 * stray mention of it in a log line comes out as `<secret:…>`.
 */
import * as vscode from 'vscode';
import type { Redactor } from '../common/redact';
import { SecretKeys } from './constants';
import { Disposable } from './lifecycle';

export type SecretKind = keyof typeof SecretKeys;

export class Secrets extends Disposable {
  private readonly emitter = this._register(new vscode.EventEmitter<SecretKind>());
  /** Fires when a secret was stored or deleted (here or in another window). */
  readonly onDidChange: vscode.Event<SecretKind> = this.emitter.event;

  constructor(
    private readonly storage: vscode.SecretStorage,
    private readonly redactor: Redactor,
  ) {
    super();
    this._register(
      storage.onDidChange((e) => {
        for (const kind of Object.keys(SecretKeys) as SecretKind[]) {
          if (SecretKeys[kind] === e.key) this.emitter.fire(kind);
        }
      }),
    );
  }

  getApiKey(): Promise<string | undefined> {
    return this.get('apiKey');
  }

  async hasApiKey(): Promise<boolean> {
    return (await this.getApiKey()) !== undefined;
  }

  storeApiKey(key: string): Promise<void> {
    return this.store('apiKey', key);
  }

  deleteApiKey(): Promise<void> {
    return this.delete('apiKey');
  }

  getBrokerCredential(): Promise<string | undefined> {
    return this.get('brokerCredential');
  }

  storeBrokerCredential(credential: string): Promise<void> {
    return this.store('brokerCredential', credential);
  }

  deleteBrokerCredential(): Promise<void> {
    return this.delete('brokerCredential');
  }

  private async get(kind: SecretKind): Promise<string | undefined> {
    const value = await this.storage.get(SecretKeys[kind]);
    if (!value) return undefined;
    this.redactor.addSecret(value);
    return value;
  }

  private async store(kind: SecretKind, value: string): Promise<void> {
    this.redactor.addSecret(value);
    await this.storage.store(SecretKeys[kind], value);
  }

  private async delete(kind: SecretKind): Promise<void> {
    await this.storage.delete(SecretKeys[kind]);
  }
}
