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
  /** `vscode.open` takes a URL string as its one argument (showUserMessage.ts makes it a Uri). */
  command: CommandId | 'workbench.action.openSettings' | 'workbench.action.reloadWindow' | 'vscode.open';
  args?: unknown[];
}

/** Where a Gemini API key is made (Google AI Studio). */
export const GET_API_KEY_URL = 'https://aistudio.google.com/apikey';
/** Where a key's rate limits and usage are shown (Google AI Studio). */
export const QUOTA_URL = 'https://aistudio.google.com/usage';

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
/** Connect again after a failure: the same command, named for what the user wants. */
const retry = (t: Localize): UserAction => ({ title: t('Retry'), command: Commands.connect });
const getApiKey = (t: Localize): UserAction => ({ title: t('Get a Key'), command: 'vscode.open', args: [GET_API_KEY_URL] });
/** Switch Backend with an argument sets it without the picker. */
const useOfflineDemo = (t: Localize): UserAction => ({ title: t('Switch to Offline Demo'), command: Commands.switchBackend, args: ['emulator'] });
const useGemini = (t: Localize): UserAction => ({ title: t('Use Gemini'), command: Commands.switchBackend, args: ['gemini'] });
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
        actions: [setApiKey(t), getApiKey(t), showLogs(t)],
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
        actions: [retry(t), showLogs(t)],
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
        // The last close says why (1006: the network; 1011: the service), so it is shown as is.
        text:
          err.details.code === undefined
            ? t('MoonTalk could not reconnect after several attempts. Your conversation is kept; check the network, then retry.')
            : t(
                'MoonTalk could not reconnect after several attempts (last close: {0} {1}). Your conversation is kept; check the network, then retry.',
                err.details.code,
                redactor.text(err.details.closeReason || t('no reason given')).slice(0, 200),
              ),
        actions: [retry(t), useOfflineDemo(t), showLogs(t)],
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
          text: t('No Gemini API key is set, so nothing was sent. Set a key, or switch to the offline demo.'),
          actions: [setApiKey(t), getApiKey(t), useOfflineDemo(t)],
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
    case 'quota': {
      const cause = err.details.code === undefined ? detail : redactor.text(`${err.details.code} ${err.details.closeReason ?? ''}`.trim()).slice(0, 300);
      return {
        severity: 'error',
        // Retrying on its own only burns more of the quota (closePolicy.ts), so MoonTalk stopped.
        text: t(
          'Gemini refused the session: a quota or rate limit was reached ({0}). MoonTalk stopped retrying. Wait a minute, close other live sessions, or check your plan in Google AI Studio; then retry.',
          cause,
        ),
        actions: [retry(t), useOfflineDemo(t), { title: t('Check Quota'), command: 'vscode.open', args: [QUOTA_URL] }, showLogs(t)],
        webviewAction: 'retry',
      };
    }
    case 'noResponse':
      return {
        severity: 'error',
        text: t('Gemini did not answer, even after reconnecting ({0}). Your message is kept; connect again to retry.', detail),
        actions: [retry(t), showLogs(t)],
        webviewAction: 'retry',
      };
    case 'serverError':
      return {
        severity: 'error',
        text: t('Gemini ended the session ({0}). Your conversation is kept; connect again to resume it.', detail),
        actions: [retry(t), showLogs(t)],
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

/** Set API Key: Gemini said no to the key itself. Nothing was saved. */
export function keyRejected(t: Localize, detail = ''): UserMessage {
  return {
    severity: 'error',
    text: detail
      ? t('Gemini rejected the API key ({0}). Nothing was saved; check that you copied the whole key, or create a new one.', detail)
      : t('Gemini rejected the API key. Nothing was saved; check that you copied the whole key, or create a new one.'),
    actions: [{ title: t('Try Again'), command: Commands.setApiKey }, getApiKey(t), showLogs(t)],
  };
}

/**
 * Set API Key: the check itself could not be made (network, proxy, quota, a server error),
 * so nothing is known about the key. Nothing was saved. A dead network reads differently from
 * a wrong key: the fix is elsewhere.
 */
export function keyCheckFailed(err: unknown, redactor: Redactor, t: Localize): UserMessage {
  const detail = redactor.text(err instanceof Error ? err.message : String(err)).slice(0, 300);
  const again = { title: t('Try Again'), command: Commands.setApiKey } as const;
  if (isMoonTalkError(err, 'network')) {
    return {
      severity: 'error',
      text: t('Could not reach Gemini to check the API key ({0}). Nothing was saved; check the network or proxy, then try again.', detail),
      actions: [again, showLogs(t)],
    };
  }
  if (isMoonTalkError(err, 'quota')) {
    return {
      severity: 'error',
      text: t('Gemini answered with a quota or rate limit, so the API key could not be checked ({0}). Nothing was saved; try again in a minute.', detail),
      actions: [again, showLogs(t)],
    };
  }
  return {
    severity: 'error',
    text: t('Could not check the API key ({0}). Nothing was saved; try again, or see the logs.', detail),
    actions: [again, showLogs(t)],
  };
}

/**
 * Set API Key: Gemini accepted the key and it is stored. On the offline demo the next step
 * is to use it, so the message offers the switch (nothing switches without the user).
 */
export function keyAccepted(onOfflineDemo: boolean, t: Localize): UserMessage {
  if (!onOfflineDemo) return { severity: 'info', text: t('Gemini accepted the API key. It is saved in VS Code secret storage.'), actions: [] };
  return {
    severity: 'info',
    text: t('Gemini accepted the API key. It is saved in VS Code secret storage. MoonTalk is still on the offline demo: use Gemini now?'),
    actions: [useGemini(t)],
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

/** The microphone could not start, or stopped on its own (unplugged, access revoked, the recorder ended). */
export function captureFailed(problem: string, redactor: Redactor, t: Localize): UserMessage {
  return {
    severity: 'warning',
    text: t('The microphone is off ({0}). The session stays connected: type instead, or Start Listening to try again.', redactor.text(problem).slice(0, 300)),
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
