/**
 * Set API Key: asks for the key in a password box, checks it with a real, cheap
 * call (minting a one-minute token at the active backend: the emulator offline,
 * Gemini otherwise) under a progress notification, and saves it to SecretStorage
 * only if the server accepted it.
 */
import * as vscode from 'vscode';
import { isMoonTalkError } from '../common/errors';
import type { Logger } from '../common/logger';
import type { Redactor } from '../common/redact';
import { createAuthToken } from '../live/tokenRest';
import type { Secrets } from './secrets';
import type { SessionController } from './sessionController';
import { showUserMessage } from './showUserMessage';
import { keyCheckFailed, keyRejected } from './userMessages';

/** Asks the user for a key; undefined = cancelled. Replaced in tests. */
export type KeyPrompt = () => Thenable<string | undefined>;

export type ApiKeySetupResult = 'saved' | 'cancelled' | 'rejected' | 'failed';

/** The check mints a token this short-lived and single-use; it is never used. */
const CHECK_TOKEN_LIFETIME_MS = 60_000;

export function promptForApiKey(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Set Gemini API Key'),
    prompt: vscode.l10n.t('Paste your Gemini API key. It is checked with Gemini, then kept in VS Code secret storage only.'),
    placeHolder: 'AIza…',
    password: true,
    ignoreFocusOut: true,
    validateInput: validateKeyShape,
  });
}

/** A quick shape check before any request; the server has the last word. */
export function validateKeyShape(value: string): string | undefined {
  const key = value.trim();
  if (key === '') return vscode.l10n.t('Enter a key, or press Escape to cancel.');
  if (/\s/.test(key)) return vscode.l10n.t('An API key has no spaces.');
  if (key.length < 10 || key.length > 256) return vscode.l10n.t('That does not look like an API key (10 to 256 characters).');
  return undefined;
}

export class ApiKeySetup {
  private readonly log: Logger;

  constructor(
    private readonly secrets: Secrets,
    private readonly session: SessionController,
    private readonly redactor: Redactor,
    logger: Logger,
    private readonly prompt: KeyPrompt = promptForApiKey,
  ) {
    this.log = logger.child('apiKey');
  }

  /** Runs the whole flow; `prompt` replaces the input box (tests). Never throws. */
  async run(prompt: KeyPrompt = this.prompt): Promise<ApiKeySetupResult> {
    const entered = (await prompt())?.trim();
    if (!entered) return 'cancelled';
    if (validateKeyShape(entered)) {
      void showUserMessage(keyRejected(vscode.l10n.t));
      return 'rejected';
    }
    // Registered before the first request, so no log line can ever show it.
    this.redactor.addSecret(entered);
    let baseUrl: string;
    try {
      baseUrl = await this.session.backendBaseUrl();
    } catch (err) {
      void showUserMessage(keyCheckFailed(err, this.redactor, vscode.l10n.t));
      return 'failed';
    }
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the API key with {0}…', this.session.backendDisplayName), cancellable: false },
        async () => {
          const now = Date.now();
          const expireTime = new Date(now + CHECK_TOKEN_LIFETIME_MS).toISOString();
          const token = await createAuthToken(baseUrl, entered, { uses: 1, expireTime, newSessionExpireTime: expireTime }, { timeoutMs: 15_000 });
          this.redactor.addRotatingSecret(token.name);
        },
      );
    } catch (err) {
      this.log.warn(`the key check failed: ${isMoonTalkError(err) ? err.reason : 'error'}: ${this.redactor.text(String((err as Error)?.message ?? err))}`);
      if (isMoonTalkError(err, 'badKey')) {
        void showUserMessage(keyRejected(vscode.l10n.t));
        return 'rejected';
      }
      void showUserMessage(keyCheckFailed(err, this.redactor, vscode.l10n.t));
      return 'failed';
    }
    await this.secrets.storeApiKey(entered);
    this.log.info('API key checked and saved to secret storage');
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} accepted the API key. It is saved in VS Code secret storage.', capitalize(this.session.backendDisplayName)));
    return 'saved';
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
