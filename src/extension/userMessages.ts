/**
 * Turns errors into what the user reads: what happened, what was kept, what to do,
 * with that action as a button. The one place user-facing error text is made
 * (STYLE.md §6); decisions go by `reason` and `field`, never by matching message text.
 * Details from an error's message are redacted before they are shown.
 */
import * as vscode from 'vscode';
import { isMoonTalkError } from '../common/errors';
import { DEFAULT_MODEL, findLiveModel, modelProfile } from '../core/models';
import type { Redactor } from '../common/redact';
import type { ToWebview } from '../protocol/messages';
import { Commands, type CommandId } from './constants';

export type WebviewAction = NonNullable<Extract<ToWebview, { type: 'error' }>['action']>;

export interface UserAction {
  title: string;
  command: CommandId | 'workbench.action.openSettings' | 'workbench.action.reloadWindow';
  args?: unknown[];
}

export interface UserMessage {
  severity: 'error' | 'warning' | 'info';
  text: string;
  actions: UserAction[];
  /** The action the panel offers with its error notice. */
  webviewAction?: WebviewAction;
}

const showLogs = (): UserAction => ({ title: vscode.l10n.t('Show Logs'), command: Commands.showLogs });
const setApiKey = (): UserAction => ({ title: vscode.l10n.t('Set API Key'), command: Commands.setApiKey });
const connect = (): UserAction => ({ title: vscode.l10n.t('Connect'), command: Commands.connect });
const openSettings = (): UserAction => ({ title: vscode.l10n.t('Open Settings'), command: 'workbench.action.openSettings', args: ['moontalk'] });
const chooseModel = (): UserAction => ({ title: vscode.l10n.t('Choose Model'), command: Commands.chooseModel });
/** "Switch to Gemini 3.8 Live": Choose Model with the id, which sets it without a picker. */
const switchModel = (id: string): UserAction => ({ title: vscode.l10n.t('Switch to {0}', findLiveModel(id)?.displayName ?? id), command: Commands.chooseModel, args: [id] });

/** The quick fixes for a model that cannot be used: its replacement (else the default) unless that is the model itself, and the picker. */
function modelFixes(model: string): UserAction[] {
  const known = findLiveModel(model);
  const target = known?.status.replacement ?? DEFAULT_MODEL;
  return (known?.id ?? modelProfile(model).id) === target ? [chooseModel()] : [switchModel(target), chooseModel()];
}

/** The user text for any error a command or the session reports. */
export function describeError(err: unknown, redactor: Redactor): UserMessage {
  const detail = redactor.text(err instanceof Error ? err.message : String(err)).slice(0, 300);
  if (!isMoonTalkError(err)) {
    return { severity: 'error', text: vscode.l10n.t('MoonTalk ran into a problem: {0}. Your conversation is kept.', detail), actions: [showLogs()], webviewAction: 'showLogs' };
  }
  switch (err.reason) {
    case 'badKey':
      return {
        severity: 'error',
        text: vscode.l10n.t('Gemini rejected the API key. Your conversation is kept; set a valid key to continue.'),
        actions: [setApiKey(), showLogs()],
        webviewAction: 'setApiKey',
      };
    case 'tokenRefused':
      return {
        severity: 'error',
        text: vscode.l10n.t('Gemini refused the ephemeral token, and a fresh one too. Your conversation is kept; check the API key or turn ephemeral tokens off.'),
        actions: [setApiKey(), { title: vscode.l10n.t('Toggle Ephemeral Tokens'), command: Commands.toggleEphemeralTokens }, showLogs()],
        webviewAction: 'setApiKey',
      };
    case 'tokenMint':
      return {
        severity: 'error',
        text: vscode.l10n.t('Could not get an ephemeral token ({0}). Your conversation is kept; check the network or the token broker, then connect again.', detail),
        actions: [connect(), showLogs()],
        webviewAction: 'retry',
      };
    case 'handleRejected':
      return {
        severity: 'info',
        text: vscode.l10n.t('The session could not be resumed, so a fresh one started. Earlier turns were sent again as context.'),
        actions: [showLogs()],
      };
    case 'badSetup':
      return {
        severity: 'error',
        text: vscode.l10n.t('Gemini rejected the session setup (model, voice or system instruction). Your conversation is kept; check the MoonTalk settings.'),
        actions: [openSettings(), showLogs()],
        webviewAction: 'showLogs',
      };
    case 'network':
      return {
        severity: 'warning',
        text: vscode.l10n.t('The connection to Gemini failed ({0}). Your conversation is kept; MoonTalk retries on its own.', detail),
        actions: [showLogs()],
        webviewAction: 'showLogs',
      };
    case 'gaveUp':
      return {
        severity: 'error',
        text: vscode.l10n.t('MoonTalk could not reconnect after several attempts. Your conversation is kept; connect again to resume it.'),
        actions: [connect(), showLogs()],
        webviewAction: 'retry',
      };
    case 'protocol':
      return {
        severity: 'warning',
        text: vscode.l10n.t('Gemini sent a message MoonTalk could not read; it was skipped and the session goes on.'),
        actions: [showLogs()],
      };
    case 'invalidConfig':
      if (err.details.field === 'apiKey') {
        return {
          severity: 'error',
          text: vscode.l10n.t('No Gemini API key is set, so nothing was sent. Set a key, or switch to the offline emulator.'),
          actions: [setApiKey(), { title: vscode.l10n.t('Switch Backend'), command: Commands.switchBackend }],
          webviewAction: 'setApiKey',
        };
      }
      if (err.details.field === 'brokerCredential') {
        return {
          severity: 'error',
          text: vscode.l10n.t('The team token broker needs a client credential, so nothing was sent. Enter it to continue.'),
          actions: [{ title: vscode.l10n.t('Use Team Token Broker'), command: Commands.useTokenBroker }],
        };
      }
      return {
        severity: 'error',
        text: vscode.l10n.t('A MoonTalk setting is not valid: {0}. Nothing was changed.', detail),
        actions: [openSettings()],
        webviewAction: 'showLogs',
      };
    case 'queueFull':
      return {
        severity: 'warning',
        text: vscode.l10n.t('Too many messages are waiting for answers, so this one was not sent. Send it again once the answers arrive.'),
        actions: [],
      };
    case 'closed':
      return {
        severity: 'warning',
        text: vscode.l10n.t('The session is closed, so nothing was sent. Connect again to continue the conversation.'),
        actions: [connect()],
        webviewAction: 'retry',
      };
    case 'modelNotFound':
      return {
        severity: 'error',
        text: vscode.l10n.t('Gemini does not serve the model "{0}" for live conversations ({1}). Choose another model.', err.details.model ?? '', detail),
        actions: [...modelFixes(err.details.model ?? DEFAULT_MODEL), showLogs()],
        webviewAction: 'showLogs',
      };
    case 'quota':
      return {
        severity: 'error',
        text: vscode.l10n.t('Gemini refused the session because a quota or rate limit was reached ({0}). Wait a while or check your plan, then connect again.', detail),
        actions: [connect(), showLogs()],
        webviewAction: 'retry',
      };
    case 'noResponse':
      return {
        severity: 'error',
        text: vscode.l10n.t('Gemini did not answer, even after reconnecting ({0}). Your message is kept; connect again to retry.', detail),
        actions: [connect(), showLogs()],
        webviewAction: 'retry',
      };
    case 'serverError':
      return {
        severity: 'error',
        text: vscode.l10n.t('Gemini ended the session ({0}). Your conversation is kept; connect again to resume it.', detail),
        actions: [connect(), showLogs()],
        webviewAction: 'retry',
      };
    default: {
      const never: never = err.reason;
      return { severity: 'error', text: String(never), actions: [showLogs()] };
    }
  }
}

/** The configured model is known to be shut down: said before connecting instead of a 1008 round-trip. */
export function modelShutDown(model: string): UserMessage {
  const known = findLiveModel(model);
  return {
    severity: 'warning',
    text: vscode.l10n.t(
      'The model "{0}" (moontalk.model) was shut down on {1}; Gemini refuses it, so MoonTalk does not connect with it. Switch to {2} or choose another model.',
      known?.id ?? model,
      known?.status.date ?? '?',
      findLiveModel(known?.status.replacement ?? DEFAULT_MODEL)?.displayName ?? DEFAULT_MODEL,
    ),
    actions: modelFixes(model),
  };
}

/** Set API Key: the server said no. Nothing was saved. */
export function keyRejected(): UserMessage {
  return {
    severity: 'error',
    text: vscode.l10n.t('Gemini rejected the API key. Nothing was saved.'),
    actions: [{ title: vscode.l10n.t('Try Again'), command: Commands.setApiKey }, showLogs()],
  };
}

/** Set API Key: the check itself failed (network, server error). Nothing was saved. */
export function keyCheckFailed(err: unknown, redactor: Redactor): UserMessage {
  const detail = redactor.text(err instanceof Error ? err.message : String(err)).slice(0, 300);
  return {
    severity: 'error',
    text: vscode.l10n.t('Could not check the API key ({0}). Nothing was saved; check the network and try again.', detail),
    actions: [{ title: vscode.l10n.t('Try Again'), command: Commands.setApiKey }, showLogs()],
  };
}

/** A stored or current handle could not be used (expired or refused): a fresh session started. */
export function resumeFellBack(): UserMessage {
  return {
    severity: 'warning',
    text: vscode.l10n.t("Couldn't resume the previous conversation; a new one started. Your history is kept."),
    actions: [{ title: vscode.l10n.t('Show History'), command: Commands.showHistory }],
  };
}

/** Another window took this workspace's conversation over; this one disconnected. */
export function leaseLost(): UserMessage {
  return {
    severity: 'warning',
    text: vscode.l10n.t('This conversation was taken over by another window, so it was disconnected here. Your history is kept.'),
    actions: [connect()],
    webviewAction: 'retry',
  };
}

/** The microphone could not start. */
export function captureFailed(problem: string, redactor: Redactor): UserMessage {
  return {
    severity: 'warning',
    text: vscode.l10n.t('The microphone could not start ({0}). The session stays connected; you can type instead.', redactor.text(problem).slice(0, 300)),
    actions: [showLogs()],
  };
}

/** The panel's webview hung twice in a row (panelLoadWatchdog.ts): only a window reload helps. */
export function panelDidNotLoad(): UserMessage {
  return {
    severity: 'warning',
    text: vscode.l10n.t('The MoonTalk Voice Chat panel did not load, twice. Reloading the window usually fixes this; your conversation is kept.'),
    actions: [{ title: vscode.l10n.t('Reload Window'), command: 'workbench.action.reloadWindow' }, showLogs()],
  };
}

/**
 * Shows `message` as a notification and runs the button the user picks.
 * Resolves when the notification is dismissed (not awaited by callers that must not block).
 */
export async function showUserMessage(message: UserMessage): Promise<void> {
  const titles = message.actions.map((a) => a.title);
  const show =
    message.severity === 'error' ? vscode.window.showErrorMessage : message.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const picked = await show(message.text, ...titles);
  const action = message.actions.find((a) => a.title === picked);
  if (action) await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
}
