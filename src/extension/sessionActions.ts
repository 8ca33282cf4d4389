/**
 * The actions that fit a session state, for the status bar's quick pick. The same
 * rules as the `when` clauses in package.json's `menus.commandPalette`.
 */
import * as vscode from 'vscode';
import type { SessionStateKind } from '../core/sessionEvents';
import { canConnect, isLive } from '../protocol/sessionState';
import { Commands, type CommandId } from './constants';

export interface SessionAction extends vscode.QuickPickItem {
  command: CommandId;
}

export interface ActionContext {
  state: SessionStateKind;
  listening: boolean;
  backend: 'emulator' | 'gemini';
  hasApiKey: boolean;
  tokensEnabled: boolean;
}

export function sessionActions(c: ActionContext): SessionAction[] {
  const item = (command: CommandId, icon: string, label: string, detail?: string): SessionAction => ({ command, label: `$(${icon}) ${label}`, detail });
  const actions: SessionAction[] = [];
  const active = isLive(c.state);
  const inactive = canConnect(c.state);
  if (inactive) actions.push(item(Commands.connect, 'plug', c.state === 'failed' ? vscode.l10n.t('Connect Again') : vscode.l10n.t('Connect')));
  if (active || c.listening) {
    actions.push(c.listening ? item(Commands.stopListening, 'mic', vscode.l10n.t('Stop Listening')) : item(Commands.startListening, 'mic-filled', vscode.l10n.t('Start Listening')));
  }
  if (c.state === 'connected') actions.push(item(Commands.refreshSession, 'refresh', vscode.l10n.t('Refresh Session'), vscode.l10n.t('Reconnect now with the resumption handle')));
  if (!inactive || c.state === 'failed') actions.push(item(Commands.disconnect, 'debug-disconnect', vscode.l10n.t('Disconnect')));
  actions.push(item(Commands.openPanel, 'comment-discussion', vscode.l10n.t('Open Voice Chat')));
  if (c.backend === 'gemini' && !c.hasApiKey) actions.push(item(Commands.setApiKey, 'key', vscode.l10n.t('Set API Key')));
  if (c.tokensEnabled && !inactive) actions.push(item(Commands.showTokenStatus, 'shield', vscode.l10n.t('Show Token Status')));
  if (inactive) actions.push(item(Commands.switchBackend, 'server-environment', vscode.l10n.t('Switch Backend'), c.backend === 'emulator' ? vscode.l10n.t('Now: offline demo') : vscode.l10n.t('Now: Gemini API')));
  actions.push(item(Commands.copyDebugInfo, 'clippy', vscode.l10n.t('Copy Session Debug Info')));
  actions.push(item(Commands.showLogs, 'output', vscode.l10n.t('Show Logs')));
  return actions;
}
