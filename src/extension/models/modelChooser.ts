/**
 * MoonTalk: Choose Model, and the warning for a configured model that is known to be shut
 * down. The list comes from ListModels on the active backend (the emulator offline, Gemini
 * with the stored key), joined with the one table (core/models.ts) for status and
 * replacement; names the table does not know are shown as the service names them. When no
 * list can be had (no key, a backend without ListModels, the network), the table's models are
 * offered and the picker says why.
 */
import * as vscode from 'vscode';
import { errorMessage, isMoonTalkError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import type { Redactor } from '../../common/redact';
import { bareModelId, findLiveModel, modelProfile, shutDownModel } from '../../core/models';
import { joinWithTable, listLiveModels, tableChoices, type ModelChoice } from '../../live/listModels';
import { CONFIG_SECTION, EMULATOR_API_KEY, SettingKeys } from '../constants';
import { Disposable } from '../lifecycle';
import type { Secrets } from '../secrets';
import type { SessionController } from '../sessionController';
import type { Settings } from '../settings';
import { showUserMessage } from '../showUserMessage';
import { modelShutDown } from '../userMessages';

const LIST_TIMEOUT_MS = 10_000;

export interface ModelChooserDeps {
  settings: Settings;
  session: SessionController;
  secrets: Secrets;
  logger: Logger;
  redactor: Redactor;
}

type ModelItem = vscode.QuickPickItem & { id?: string; other?: true };

export class ModelChooser extends Disposable {
  private readonly log: Logger;

  constructor(private readonly deps: ModelChooserDeps) {
    super();
    this.log = deps.logger.child('models');
    // A shut-down model is said as soon as it is configured, not at the next connect's 1008;
    // once per change of the model, not again when another session setting changes.
    let lastModel = deps.settings.current.model;
    this._register(
      deps.settings.onDidChange((change) => {
        const model = change.settings.model;
        if (model === lastModel) return;
        lastModel = model;
        if (shutDownModel(model)) void showUserMessage(modelShutDown(model, vscode.l10n.t));
      }),
    );
  }

  /**
   * With `id` (a quick fix): writes it and says when it applies. Without: the picker.
   * Resolves to the model written, or undefined when nothing changed.
   */
  async choose(id?: string): Promise<string | undefined> {
    const picked = id ?? (await this.pick());
    if (!picked) return undefined;
    await this.write(picked);
    return picked;
  }

  private async pick(): Promise<string | undefined> {
    const current = this.deps.settings.current.model;
    const { choices, problem } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing the Live models…') },
      () => this.load(current),
    );
    const currentId = bareModelId(current);
    const canonical = findLiveModel(current)?.id ?? currentId;
    // The service lists aliases as models of their own: mark the row named as configured, else the one it is an alias of.
    const listedAsIs = choices.some((c) => c.id === currentId);
    const isCurrent = (c: ModelChoice) => (listedAsIs ? c.id === currentId : (findLiveModel(c.id)?.id ?? c.id) === canonical);
    const items: ModelItem[] = choices.map((c) => this.item(c, isCurrent(c), !problem));
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: `$(edit) ${vscode.l10n.t('Enter a model name…')}`, other: true, alwaysShow: true });
    const backend = this.deps.settings.current.backend === 'emulator' ? vscode.l10n.t('the offline emulator') : 'Gemini';
    const picked = await vscode.window.showQuickPick(items, {
      title: problem ? vscode.l10n.t('Live models MoonTalk knows ({0})', problem) : vscode.l10n.t('Live models on {0} for your key', backend),
      placeHolder: vscode.l10n.t('Current: {0}. A new model applies at the next connection.', currentId),
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked) return undefined;
    if (picked.other) {
      const typed = await vscode.window.showInputBox({
        title: vscode.l10n.t('Live model name'),
        prompt: vscode.l10n.t('Any model name, with or without models/. The server decides whether it serves it.'),
        value: currentId,
        validateInput: (v) => (v.trim() === '' ? vscode.l10n.t('Enter a model name, or press Escape to cancel.') : v.trim().length > 200 ? vscode.l10n.t('At most 200 characters.') : undefined),
      });
      return typed?.trim() || undefined;
    }
    return picked.id;
  }

  /** The backend's Live models joined with the table, or the table with the reason no list could be had. */
  private async load(current: string): Promise<{ choices: ModelChoice[]; problem?: string }> {
    const s = this.deps.settings.current;
    const apiKey = s.backend === 'emulator' ? EMULATOR_API_KEY : await this.deps.secrets.getApiKey();
    if (!apiKey) return { choices: withCurrent(tableChoices(), current), problem: vscode.l10n.t('set an API key to see the models your key can use') };
    try {
      const baseUrl = await this.deps.session.backendBaseUrl();
      const served = await listLiveModels({ baseUrl, apiKey, timeoutMs: LIST_TIMEOUT_MS });
      if (served.length === 0) return { choices: withCurrent(tableChoices(), current), problem: vscode.l10n.t('the backend listed no Live models') };
      return { choices: joinWithTable(served, current) };
    } catch (err) {
      this.log.warn(`could not list the models: ${this.deps.redactor.text(errorMessage(err))}`);
      const problem = isMoonTalkError(err, 'badKey')
        ? vscode.l10n.t('the API key was refused')
        : isMoonTalkError(err, 'serverError') && err.details.code === 404
          ? vscode.l10n.t('this backend does not list models')
          : vscode.l10n.t('could not list the models; see the log');
      return { choices: withCurrent(tableChoices(), current), problem };
    }
  }

  /** `listed`: the choices came from the backend's list (so "not listed" means something). */
  private item(c: ModelChoice, isCurrent: boolean, listed: boolean): ModelItem {
    // Status first: a long description is cut at the end, and the warning matters more than the id.
    const tags: string[] = [];
    if (isCurrent) tags.push(vscode.l10n.t('current'));
    switch (c.status?.kind) {
      case 'legacy':
        tags.push(vscode.l10n.t('legacy, use {0}', c.status.replacement ?? ''));
        break;
      case 'deprecated':
        tags.push(vscode.l10n.t('deprecated, use {0}', c.status.replacement ?? ''));
        break;
      case 'shutDown':
        tags.push(vscode.l10n.t('shut down {0}, use {1}', c.status.date ?? '', c.status.replacement ?? ''));
        break;
      case 'preview':
        tags.push(vscode.l10n.t('preview'));
        break;
      default:
        break;
    }
    if (!c.known) tags.push(vscode.l10n.t('not in MoonTalk\'s model table'));
    if (listed && !c.served) tags.push(vscode.l10n.t('not listed by this backend'));
    tags.push(c.id);
    const icon = isCurrent ? '$(check) ' : c.status?.kind === 'shutDown' || c.status?.kind === 'deprecated' || c.status?.kind === 'legacy' ? '$(warning) ' : '';
    return { id: c.id, label: `${icon}${c.label}`, description: tags.join(' · '), detail: c.description };
  }

  /** Writes the user setting (global) and says when it applies; offers a reconnect while a session runs. */
  private async write(id: string): Promise<void> {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    await config.update(SettingKeys.model, id, vscode.ConfigurationTarget.Global);
    const inspected = config.inspect<string>(SettingKeys.model);
    const shadow = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
    if (shadow !== undefined && shadow !== id) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Saved {0} in your user settings, but this workspace sets moontalk.model to {1}, which wins here.', id, shadow));
      return;
    }
    if (shutDownModel(id)) return; // the settings watcher shows the shut-down warning with its fixes
    const state = this.deps.session.state.kind;
    const running = state === 'connected' || state === 'handingOff' || state === 'reconnecting' || state === 'connecting';
    if (!running) {
      void vscode.window.showInformationMessage(vscode.l10n.t('MoonTalk now uses {0}. It applies at the next connect.', id));
      return;
    }
    const reconnect = vscode.l10n.t('Reconnect Now');
    const answer = await vscode.window.showInformationMessage(
      vscode.l10n.t('MoonTalk now uses {0}. The running session keeps its model until the next connection; a new model starts a new conversation.', id),
      reconnect,
    );
    if (answer === reconnect) {
      await this.deps.session.disconnect();
      await this.deps.session.connect();
    }
  }
}

/** Adds the configured model when the list lacks it, so the picker can show what is set now. */
function withCurrent(choices: ModelChoice[], current: string): ModelChoice[] {
  const id = findLiveModel(current)?.id ?? modelProfile(current).id;
  if (choices.some((c) => c.id === id)) return choices;
  return joinWithTable(
    choices.map((c) => ({ id: c.id })),
    current,
  );
}
