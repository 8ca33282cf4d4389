/**
 * The status bar while dictation runs: a recording indicator that says how to stop (click or
 * Escape), with the `moontalk.dictating` context key the Escape keybinding's `when` reads.
 */
import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../constants';
import { Disposable } from '../lifecycle';
import type { DictationController, DictationState } from './dictationController';

export class DictationStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('moontalk.dictation', vscode.StatusBarAlignment.Left, 1_000));

  constructor(dictation: DictationController) {
    super();
    this.item.name = vscode.l10n.t('MoonTalk Dictation');
    this.item.command = Commands.stopDictation;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this._register(dictation.onDidChange((state) => this.render(state)));
    this.render(dictation.state);
  }

  /** The item's text now (tests read it). */
  get text(): string {
    return this.item.text;
  }

  private render(state: DictationState): void {
    void vscode.commands.executeCommand('setContext', ContextKeys.dictating, state !== 'idle');
    if (state === 'idle') {
      this.item.hide();
      return;
    }
    this.item.text = state === 'starting' ? `$(loading~spin) ${vscode.l10n.t('Dictation starting…')}` : state === 'stopping' ? `$(loading~spin) ${vscode.l10n.t('Dictation: last words…')}` : `$(record) ${vscode.l10n.t('Dictating')}`;
    this.item.tooltip = vscode.l10n.t('MoonTalk is typing what you say where the cursor is. Click or press Escape to stop.');
    this.item.accessibilityInformation = { label: vscode.l10n.t('MoonTalk dictation is on. Press Escape to stop.'), role: 'button' };
    this.item.show();
  }
}
