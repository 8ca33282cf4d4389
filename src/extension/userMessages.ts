/**
 * Turns errors into what the user reads: what happened, what was kept, what to do,
 * with that action as a button. The one place user-facing error text is made
 * (STYLE.md §6); decisions go by `reason` and `field`, never by matching message text.
 * Details from an error's message are redacted before they are shown.
 *
 * No vscode: every builder takes the localize function `t` (vscode.l10n.t in the
 * extension), so the texts are unit-tested in Node; showUserMessage.ts shows them.
 */
import { isMoonTalkError } from '../common/errors';
import { DEFAULT_MODEL, findLiveModel, modelProfile } from '../core/models';
import type { Redactor } from '../common/redact';
import type { ToWebview } from '../protocol/messages';
import { Commands, type CommandId } from './constants';
import type { Localize } from './localize';

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

const showLogs = (t: Localize): UserAction => ({ title: t('Show Logs'), command: Commands.showLogs });
const setApiKey = (t: Localize): UserAction => ({ title: t('Set API Key'), command: Commands.setApiKey });
const connect = (t: Localize): UserAction => ({ title: t('Connect'), command: Commands.connect });
const openSettings = (t: Localize): UserAction => ({ title: t('Open Settings'), command: 'workbench.action.openSettings', args: ['moontalk'] });
const chooseModel = (t: Localize): UserAction => ({ title: t('Choose Model'), command: Commands.chooseModel });
/** "Switch to Gemini 3.8 Live": Choose Model with the id, which sets it without a picker. */
const switchModel = (id: string, t: Localize): UserAction => ({ title: t('Switch to {0}', findLiveModel(id)?.displayName ?? id), command: Commands.chooseModel, args: [id] });

/** The quick fixes for a model that cannot be used: its replacement (else the default) unless that is the model itself, and the picker. */
function modelFixes(model: string, t: Localize): UserAction[] {
  const known = findLiveModel(model);
  const target = known?.status.replacement ?? DEFAULT_MODEL;
  return (known?.id ?? modelProfile(model).id) === target ? [chooseModel(t)] : [switchModel(target, t), chooseModel(t)];
}

/** The user text for any error a command or the session reports. */
export function describeError(err: unknown, redactor: Redactor, t: Localize): UserMessage {
  const detail = redactor.text(err instanceof Error ? err.message : String(err)).slice(0, 300);
  if (!isMoonTalkError(err)) {
    return { severity: 'error', text: t('MoonTalk ran into a problem: {0}. Your conversation is kept.', detail), actions: [showLogs(t)], webviewAction: 'showLogs' };
  }
  switch (err.reason) {
    case 'badKey':
      return {
        severity: 'error',
        text: t('Gemini rejected the API key. Your conversation is kept; set a valid key to continue.'),
        actions: [setApiKey(t), showLogs(t)],
        webviewAction: 'setApiKey',
      };
    case 'tokenRefused':
      return {
        severity: 'error',
        text: t('Gemini refused the ephemeral token, and a fresh one too. Your conversation is kept; check the API key or turn ephemeral tokens off.'),
        actions: [setApiKey(t), { title: t('Toggle Ephemeral Tokens'), command: Commands.toggleEphemeralTokens }, showLogs(t)],
        webviewAction: 'setApiKey',
      };
    case 'tokenMint':
      return {
        severity: 'error',
        text: t('Could not get an ephemeral token ({0}). Your conversation is kept; check the network or the token broker, then connect again.', detail),
        actions: [connect(t), showLogs(t)],
        webviewAction: 'retry',
      };
    case 'handleRejected':
      return {
        severity: 'info',
        text: t('The session could not be resumed, so a fresh one started. Earlier turns were sent again as context.'),
        actions: [showLogs(t)],
      };
    case 'badSetup':
      return {
        severity: 'error',
        text: t('Gemini rejected the session setup (model, voice or system instruction). Your conversation is kept; check the MoonTalk settings.'),
        actions: [openSettings(t), showLogs(t)],
        webviewAction: 'showLogs',
      };
    case 'network':
      return {
        severity: 'warning',
        text: t('The connection to Gemini failed ({0}). Your conversation is kept; MoonTalk retries on its own.', detail),
        actions: [showLogs(t)],
        webviewAction: 'showLogs',
      };
    case 'gaveUp':
      return {
        severity: 'error',
        text: t('MoonTalk could not reconnect after several attempts. Your conversation is kept; connect again to resume it.'),
        actions: [connect(t), showLogs(t)],
        webviewAction: 'retry',
      };
    case 'protocol':
      return {
        severity: 'warning',
        text: t('Gemini sent a message MoonTalk could not read; it was skipped and the session goes on.'),
        actions: [showLogs(t)],
      };
    case 'invalidConfig':
      if (err.details.field === 'apiKey') {
        return {
          severity: 'error',
          text: t('No Gemini API key is set, so nothing was sent. Set a key, or switch to the offline emulator.'),
          actions: [setApiKey(t), { title: t('Switch Backend'), command: Commands.switchBackend }],
          webviewAction: 'setApiKey',
        };
      }
      if (err.details.field === 'brokerCredential') {
        return {
          severity: 'error',
          text: t('The team token broker needs a client credential, so nothing was sent. Enter it to continue.'),
          actions: [{ title: t('Use Team Token Broker'), command: Commands.useTokenBroker }],
        };
      }
      return {
        severity: 'error',
        text: t('A MoonTalk setting is not valid: {0}. Nothing was changed.', detail),
        actions: [openSettings(t)],
        webviewAction: 'showLogs',
      };
    case 'queueFull':
      return {
        severity: 'warning',
        text: t('Too many messages are waiting for answers, so this one was not sent. Send it again once the answers arrive.'),
        actions: [],
      };
    case 'closed':
      return {
        severity: 'warning',
        text: t('The session is closed, so nothing was sent. Connect again to continue the conversation.'),
        actions: [connect(t)],
        webviewAction: 'retry',
      };
    case 'modelNotFound':
      return {
        severity: 'error',
        text: t('Gemini does not serve the model "{0}" for live conversations ({1}). Choose another model.', err.details.model ?? '', detail),
        actions: [...modelFixes(err.details.model ?? DEFAULT_MODEL, t), showLogs(t)],
        webviewAction: 'showLogs',
      };
    case 'quota':
      return {
        severity: 'error',
        text: t('Gemini refused the session because a quota or rate limit was reached ({0}). Wait a while or check your plan, then connect again.', detail),
        actions: [connect(t), showLogs(t)],
        webviewAction: 'retry',
      };
    case 'noResponse':
      return {
        severity: 'error',
        text: t('Gemini did not answer, even after reconnecting ({0}). Your message is kept; connect again to retry.', detail),
        actions: [connect(t), showLogs(t)],
        webviewAction: 'retry',
      };
    case 'serverError':
      return {
        severity: 'error',
        text: t('Gemini ended the session ({0}). Your conversation is kept; connect again to resume it.', detail),
        actions: [connect(t), showLogs(t)],
        webviewAction: 'retry',
      };
    default: {
      const never: never = err.reason;
      return { severity: 'error', text: String(never), actions: [showLogs(t)] };
    }
  }
}

/** The configured model is known to be shut down: said before connecting instead of a 1008 round-trip. */
export function modelShutDown(model: string, t: Localize): UserMessage {
  const known = findLiveModel(model);
  return {
    severity: 'warning',
    text: t(
      'The model "{0}" (moontalk.model) was shut down on {1}; Gemini refuses it, so MoonTalk does not connect with it. Switch to {2} or choose another model.',
      known?.id ?? model,
      known?.status.date ?? '?',
      findLiveModel(known?.status.replacement ?? DEFAULT_MODEL)?.displayName ?? DEFAULT_MODEL,
    ),
    actions: modelFixes(model, t),
  };
}

/** Set API Key: the server said no. Nothing was saved. */
export function keyRejected(t: Localize): UserMessage {
  return {
    severity: 'error',
    text: t('Gemini rejected the API key. Nothing was saved.'),
    actions: [{ title: t('Try Again'), command: Commands.setApiKey }, showLogs(t)],
  };
}

/** Set API Key: the check itself failed (network, server error). Nothing was saved. */
export function keyCheckFailed(err: unknown, redactor: Redactor, t: Localize): UserMessage {
  const detail = redactor.text(err instanceof Error ? err.message : String(err)).slice(0, 300);
  return {
    severity: 'error',
    text: t('Could not check the API key ({0}). Nothing was saved; check the network and try again.', detail),
    actions: [{ title: t('Try Again'), command: Commands.setApiKey }, showLogs(t)],
  };
}

/** A stored or current handle could not be used (expired or refused): a fresh session started. */
export function resumeFellBack(t: Localize): UserMessage {
  return {
    severity: 'warning',
    text: t("Couldn't resume the previous conversation; a new one started. Your history is kept."),
    actions: [{ title: t('Show History'), command: Commands.showHistory }],
  };
}

/** Another window took this workspace's conversation over; this one disconnected. */
export function leaseLost(t: Localize): UserMessage {
  return {
    severity: 'warning',
    text: t('This conversation was taken over by another window, so it was disconnected here. Your history is kept.'),
    actions: [connect(t)],
    webviewAction: 'retry',
  };
}

/** The microphone could not start. */
export function captureFailed(problem: string, redactor: Redactor, t: Localize): UserMessage {
  return {
    severity: 'warning',
    text: t('The microphone could not start ({0}). The session stays connected; you can type instead.', redactor.text(problem).slice(0, 300)),
    actions: [showLogs(t)],
  };
}

/** The panel's webview hung twice in a row (panelLoadWatchdog.ts): only a window reload helps. */
export function panelDidNotLoad(t: Localize): UserMessage {
  return {
    severity: 'warning',
    text: t('The MoonTalk Voice Chat panel did not load, twice. Reloading the window usually fixes this; your conversation is kept.'),
    actions: [{ title: t('Reload Window'), command: 'workbench.action.reloadWindow' }, showLogs(t)],
  };
}
