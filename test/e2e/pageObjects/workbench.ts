/**
 * The VS Code workbench as the specs see it: the command palette, input boxes, the
 * MoonTalk status bar item, notifications and screenshots. Every wait is bounded.
 *
 * Specs never touch selectors; they call this (STYLE.md §8, GitLens tests/e2e/pageObjects).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { waitUntil } from '../support/processes';

const QUICK_INPUT = '.quick-input-widget';

/**
 * In-page function source: a status bar item's colour, '' when it has none. VS Code marks the
 * warning and error theme colours with the classes `warning-kind` / `error-kind`; any other
 * colour shows as a non-transparent computed background on the item or its label.
 */
const READ_ITEM_COLOUR = `(el) => {
  const kind = ['warning-kind', 'error-kind'].find((k) => el.classList.contains(k));
  if (kind) return kind;
  for (const node of [el, el.firstElementChild]) {
    if (!node) continue;
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && bg !== 'transparent' && bg !== 'rgba(0, 0, 0, 0)') return bg;
  }
  return '';
}`;

export class Workbench {
  /** Texts of dialogs dismissed before palette use (reported by the fixture). */
  readonly dismissedDialogs: string[] = [];

  constructor(
    readonly page: Page,
    private readonly artifacts: string,
  ) {
    mkdirSync(artifacts, { recursive: true });
  }

  /** Opens `url` and waits until the workbench is laid out and its status bar is shown. */
  static async open(page: Page, url: string, artifacts: string, timeoutMs = 90_000): Promise<Workbench> {
    await page.goto(url, { timeout: timeoutMs, waitUntil: 'domcontentloaded' });
    const wb = new Workbench(page, artifacts);
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
    await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: timeoutMs });
    return wb;
  }

  /**
   * Runs "Developer: Reload Window" and waits (bounded) for the new workbench: a new
   * document (a marker set in the old one is gone) laid out with its status bar and
   * editor area. Page-level recorders (startStatusRecorder) do not survive it.
   */
  async reloadWindow(timeoutMs = 90_000): Promise<void> {
    await this.page.evaluate('window.__moontalkBeforeReload = true');
    try {
      await this.runCommand('Developer: Reload Window');
    } catch (err) {
      // The palette's own page may go away under the wait for it to close.
      if (!/context was destroyed|navigat|Target closed/i.test((err as Error).message)) throw err;
    }
    await waitUntil('the window to reload', timeoutMs, async () => {
      const old = await this.page.evaluate('window.__moontalkBeforeReload === true').catch(() => true);
      return old ? undefined : true;
    });
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: timeoutMs });
  }

  // ---------------------------------------------------------------- activity bar

  /** Clicks the Activity Bar item whose label starts with `label` ("MoonTalk") and waits (bounded) for its side bar to show. */
  async openActivityBarItem(label: string, timeoutMs = 15_000): Promise<void> {
    await this.dismissBlockingDialogs();
    const item = this.page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${label}"]`).first();
    await item.waitFor({ state: 'visible', timeout: timeoutMs });
    const sidebar = this.page.locator('.part.sidebar');
    // A click on the item already shown closes the side bar: click only when it is not the one showing.
    const showing = (await item.getAttribute('aria-checked')) === 'true' || (await item.locator('xpath=..').getAttribute('class'))?.split(/\s+/).includes('checked');
    if (!(showing && (await sidebar.isVisible()))) await item.click();
    await sidebar.waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** True when keyboard focus is inside a webview's iframe (a page took focus). */
  async webviewHasFocus(): Promise<boolean> {
    return (await this.page.evaluate(`document.activeElement?.tagName === 'IFRAME'`)) as boolean;
  }

  // ---------------------------------------------------------------- command palette

  private get quickInput(): Locator {
    return this.page.locator(QUICK_INPUT);
  }

  private get quickInputBox(): Locator {
    return this.page.locator(`${QUICK_INPUT} .quick-input-box input`);
  }

  async isQuickInputOpen(): Promise<boolean> {
    return this.quickInput.isVisible();
  }

  /**
   * Closes modal dialogs that would swallow the palette's keys (a Copilot sign-in
   * dialog was reported in code-server 4.139 despite chat.disableAIFeatures). The text
   * of each is kept in `dismissedDialogs` so a run shows it happened.
   */
  async dismissBlockingDialogs(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const dialog = this.page.locator('.monaco-dialog-box').first();
      if (!(await dialog.isVisible())) return;
      this.dismissedDialogs.push(((await dialog.textContent()) ?? '').replace(/\s+/g, ' ').trim());
      await this.page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden', timeout: 3_000 }).catch(async () => {
        // No Escape binding: press its last button (Cancel / Close in VS Code's order).
        await dialog.locator('.dialog-buttons a.monaco-button, .dialog-buttons .monaco-button').last().click({ timeout: 3_000 });
      });
    }
  }

  /** The modal dialog on screen (message and detail as one text, and its buttons), or undefined. */
  async modalDialog(): Promise<{ text: string; buttons: string[] } | undefined> {
    const dialog = this.page.locator('.monaco-dialog-box').first();
    if (!(await dialog.isVisible())) return undefined;
    const buttons = (await dialog.locator('.dialog-buttons .monaco-button').allTextContents()).map((b) => b.replace(/\s+/g, ' ').trim());
    const text = ((await dialog.locator('.dialog-message-row').first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
    return { text, buttons };
  }

  /** Presses `label` on the modal dialog on screen; resolves when the dialog closed. */
  async answerModalDialog(label: string): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box').first();
    await dialog.locator('.dialog-buttons .monaco-button').filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) }).first().click({ timeout: 5_000 });
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 });
  }

  /** Moves keyboard focus out of a webview iframe, so workbench keybindings (F1) apply. */
  private async focusWorkbench(): Promise<void> {
    await this.page.evaluate(`(() => {
      const active = document.activeElement;
      if (active && active.tagName === 'IFRAME') active.blur();
    })()`);
  }

  private async openPalette(): Promise<void> {
    await this.dismissBlockingDialogs();
    if (await this.isQuickInputOpen()) {
      await this.page.keyboard.press('Escape');
      await this.quickInput.waitFor({ state: 'hidden', timeout: 5_000 });
    }
    await this.focusWorkbench();
    for (const key of ['F1', 'Control+Shift+P']) {
      await this.page.keyboard.press(key);
      if (await this.quickInputBox.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) return;
    }
    throw new Error('the command palette did not open (F1, Ctrl+Shift+P)');
  }

  /** The label of the highlighted palette row ("MoonTalk: Connect"). */
  private async focusedRowLabel(): Promise<string | undefined> {
    const row = this.page.locator(`${QUICK_INPUT} .monaco-list-row.focused .label-name`).first();
    if (!(await row.isVisible())) return undefined;
    return ((await row.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /**
   * Runs a command by its palette title (F1, the title, Enter). Enter is pressed only
   * once the highlighted row is exactly `title`: the palette otherwise offers "similar
   * commands", and Enter would run a different one. Resolves when the palette closed,
   * or, with `opensInput`, when it turned into the command's input box.
   */
  async runCommand(title: string, options: { opensInput?: boolean; timeoutMs?: number; beforeEnter?: () => Promise<void> } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 20_000;
    await this.openPalette();
    await this.quickInputBox.fill(`>${title}`);
    // The palette filters the commands known when the text changed: right after the
    // workbench loads, the extension's contributions may come later, so type again.
    let typedAt = Date.now();
    await waitUntil(`the palette to offer "${title}"`, timeoutMs, async () => {
      if ((await this.focusedRowLabel()) === title) return true;
      // Offered, but below a closer fuzzy match ("File: Compare New Untitled Text Files" above
      // "File: New Untitled Text File"): move the highlight down to it.
      const offered = (await this.page.locator(`${QUICK_INPUT} .monaco-list-row .label-name`).allTextContents()).map((l) => l.replace(/\s+/g, ' ').trim());
      if (offered.includes(title)) {
        await this.page.keyboard.press('ArrowDown');
        return undefined;
      }
      if (Date.now() - typedAt > 1_500) {
        await this.quickInputBox.fill('>');
        await this.quickInputBox.fill(`>${title}`);
        typedAt = Date.now();
      }
      return undefined;
    }).catch(async (err: Error) => {
      const offered = await this.page.locator(`${QUICK_INPUT} .monaco-list-row .label-name`).allTextContents();
      await this.page.keyboard.press('Escape');
      throw new Error(`${err.message}; it offered: ${JSON.stringify(offered)}`);
    });
    // A step that must happen just before the command runs (the palette stays open meanwhile).
    await options.beforeEnter?.();
    await this.page.keyboard.press('Enter');
    await waitUntil(`"${title}" to take the palette's place`, timeoutMs, async () => {
      if (!(await this.isQuickInputOpen())) return options.opensInput ? undefined : true;
      const value = await this.quickInputBox.inputValue().catch(() => '>');
      return options.opensInput && !value.startsWith('>') ? true : undefined;
    });
  }

  /**
   * Opens a workspace file by name through Quick Open (the palette without `>`): Enter once
   * the highlighted row is that file, then waits for its editor to be active.
   */
  async openFile(fileName: string, timeoutMs = 20_000): Promise<void> {
    await this.openPalette();
    await this.quickInputBox.fill(fileName);
    let typedAt = Date.now();
    await waitUntil(`Quick Open to offer ${fileName}`, timeoutMs, async () => {
      if ((await this.focusedRowLabel()) === fileName) return true;
      // The file index may not know a file written a moment ago: type again.
      if (Date.now() - typedAt > 2_000) {
        await this.quickInputBox.fill('');
        await this.quickInputBox.fill(fileName);
        typedAt = Date.now();
      }
      return undefined;
    });
    await this.page.keyboard.press('Enter');
    await this.waitForActiveEditor(fileName, timeoutMs);
  }

  /** Whether the palette lists `title` now (commands hidden by a `when` clause are not). */
  async paletteOffers(title: string, settleMs = 1_500): Promise<boolean> {
    await this.openPalette();
    await this.quickInputBox.fill(`>${title}`);
    let offered = false;
    const started = Date.now();
    while (!offered && Date.now() - started < settleMs) {
      const labels = (await this.page.locator(`${QUICK_INPUT} .monaco-list-row .label-name`).allTextContents()).map((l) => l.replace(/\s+/g, ' ').trim());
      offered = labels.includes(title);
      if (!offered) await this.page.waitForTimeout(150);
    }
    await this.page.keyboard.press('Escape');
    await this.quickInput.waitFor({ state: 'hidden', timeout: 5_000 });
    return offered;
  }

  /** The open input box (showInputBox): whether it hides what is typed, and its prompt. */
  async inputBox(): Promise<{ password: boolean; prompt: string; title: string }> {
    await this.quickInputBox.waitFor({ state: 'visible', timeout: 10_000 });
    return {
      password: (await this.quickInputBox.getAttribute('type')) === 'password',
      prompt: ((await this.page.locator(`${QUICK_INPUT} .quick-input-message`).textContent()) ?? '').trim(),
      title: ((await this.page.locator(`${QUICK_INPUT} .quick-input-title`).textContent()) ?? '').trim(),
    };
  }

  /** Types into the open input box without accepting; returns the validation message shown. */
  async typeIntoInputBox(text: string): Promise<string> {
    await this.quickInputBox.waitFor({ state: 'visible', timeout: 10_000 });
    await this.quickInputBox.fill(text);
    // Validation runs on a short debounce in the extension host.
    await this.page.waitForTimeout(500);
    return ((await this.page.locator(`${QUICK_INPUT} .quick-input-message`).textContent()) ?? '').trim();
  }

  /** Fills the open input box and accepts it; resolves when the box closed. */
  async fillInputBox(text: string, timeoutMs = 10_000): Promise<void> {
    await this.quickInputBox.waitFor({ state: 'visible', timeout: timeoutMs });
    await this.quickInputBox.fill(text);
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  /**
   * Answers a save dialog. In code-server it is VS Code's simple file dialog (a quick
   * input holding a path): `file` replaces the suggested path and Enter accepts it.
   * Returns the dialog's title and the path it suggested.
   */
  async answerSaveDialog(file: string, timeoutMs = 15_000): Promise<{ title: string; suggested: string }> {
    await this.quickInputBox.waitFor({ state: 'visible', timeout: timeoutMs });
    const title = ((await this.page.locator(`${QUICK_INPUT} .quick-input-title`).textContent()) ?? '').trim();
    // The dialog fills in the suggested path in steps (folder, then file name): wait for a
    // whole one before typing over it.
    let value = '';
    const suggested = await waitUntil('the save dialog to suggest a file', 5_000, async () => {
      value = await this.quickInputBox.inputValue();
      return /\/[^/]+\.\w+$/.test(value) ? value : undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; it shows ${JSON.stringify(value)}`);
    });
    await this.quickInputBox.fill(file);
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden', timeout: timeoutMs });
    return { title, suggested };
  }

  /** The open quick pick (showQuickPick): its title and the labels and descriptions of its rows, icons left out. */
  async quickPick(timeoutMs = 15_000): Promise<{ title: string; rows: Array<{ label: string; description: string }> }> {
    await this.quickInputBox.waitFor({ state: 'visible', timeout: timeoutMs });
    // The items come after the extension has listed them: wait (bounded) for the first row.
    await this.page.locator(`${QUICK_INPUT} .monaco-list-row`).first().waitFor({ state: 'visible', timeout: timeoutMs });
    const rows = await this.page.locator(`${QUICK_INPUT} .monaco-list-row`).evaluateAll((els) =>
      els.map((el) => ({
        label: (el.querySelector('.label-name')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
        description: (el.querySelector('.label-description')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      })),
    );
    return { title: ((await this.page.locator(`${QUICK_INPUT} .quick-input-title`).textContent()) ?? '').trim(), rows };
  }

  /**
   * Types `filter` into the open quick pick and accepts the row labelled `label` once it is
   * the highlighted one (Enter on another row would pick that); resolves when the pick closed.
   */
  async pickQuickPickItem(filter: string, label: string, timeoutMs = 10_000): Promise<void> {
    await this.quickInputBox.waitFor({ state: 'visible', timeout: timeoutMs });
    await this.quickInputBox.fill(filter);
    await waitUntil(`the quick pick to highlight "${label}"`, timeoutMs, async () => ((await this.focusedRowLabel()) === label ? true : undefined)).catch(async (err: Error) => {
      const offered = await this.page.locator(`${QUICK_INPUT} .monaco-list-row .label-name`).allTextContents();
      throw new Error(`${err.message}; it offered: ${JSON.stringify(offered)}`);
    });
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  async closeQuickInput(): Promise<void> {
    if (!(await this.isQuickInputOpen())) return;
    await this.page.keyboard.press('Escape');
    await this.quickInput.waitFor({ state: 'hidden', timeout: 5_000 });
  }

  // ---------------------------------------------------------------- settings

  /**
   * Replaces the user settings the way a user edits settings.json: "Preferences: Open
   * User Settings (JSON)", select all, type the new JSON, save, close. Resolves once
   * `file` (the settings file on disk) holds exactly that JSON.
   *
   * Writing the file behind VS Code's back is not enough here: code-server's workbench
   * does not reload user settings changed on disk (seen with 4.139.1: the editor shows
   * the new file, the configuration keeps the old values), while a save through the
   * editor applies at once.
   */
  async replaceUserSettings(settings: Record<string, unknown>, file: string, timeoutMs = 20_000): Promise<void> {
    const json = JSON.stringify(settings);
    await this.runCommand('Preferences: Open User Settings (JSON)');
    const editor = this.page.locator('.monaco-editor[data-uri$="/User/settings.json"]').first();
    await editor.waitFor({ state: 'visible', timeout: timeoutMs }).catch(async (err: Error) => {
      await this.screenshot('FAILED-settings-json-editor');
      throw err;
    });
    await this.replaceEditorTextAndSave(editor, json);
    await waitUntil('settings.json to be saved', timeoutMs, () => {
      try {
        return readFileSync(file, 'utf8').trim() === json ? true : undefined;
      } catch {
        return undefined;
      }
    }).catch(async (err: Error) => {
      await this.screenshot('FAILED-settings-json');
      throw err;
    });
    await this.closeSettingsEditor(editor, timeoutMs);
  }

  /** Replaces the whole text of `editor` with `text` and saves it (Ctrl+S). */
  private async replaceEditorTextAndSave(editor: Locator, text: string): Promise<void> {
    await editor.locator('.view-lines').click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.insertText(text);
    // The editor auto-closes brackets and quotes as the text goes in and types over
    // them again; what it added past the end stays after the cursor: drop it.
    await this.page.keyboard.press('Control+Shift+End');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.press('Control+S');
  }

  private async closeSettingsEditor(editor: Locator, timeoutMs: number): Promise<void> {
    // code-server 4.139 opens settings.json in a modal editor (palette keys do not reach
    // past it); Escape is its "Close Modal Editor" while the editor has focus. Else its
    // close action, or (a plain editor tab) View: Close Editor.
    await this.page.keyboard.press('Escape');
    if (!(await editor.waitFor({ state: 'hidden', timeout: 2_000 }).then(() => true, () => false))) {
      const closeModal = this.page.locator('.modal-editor-action-container .action-label.codicon-close').first();
      if (await closeModal.isVisible()) await closeModal.click({ timeout: 5_000 });
      else await this.runCommand('View: Close Editor');
      await editor.waitFor({ state: 'hidden', timeout: timeoutMs });
    }
  }

  /**
   * Sees what the settings.json editor makes of a value, without changing the settings: replaces
   * the text with `before` + `after` (cursor between them), waits for JSON validation and reads
   * the problem counts of the status bar (the only file with problems in the suite's workspace
   * is settings.json; the modal editor of code-server 4.139 draws no squiggles), and, with
   * `suggest`, opens IntelliSense at the cursor and reads its rows' labels. Then puts the text
   * of `file` (the settings file on disk) back, saves and closes the editor, as
   * replaceUserSettings does.
   */
  async probeUserSettingsJson(
    file: string,
    before: string,
    after: string,
    options: { suggest?: boolean; atLeastWarnings?: number; settleMs?: number; timeoutMs?: number } = {},
  ): Promise<{ warnings: number; errors: number; suggestions: string[] }> {
    const timeoutMs = options.timeoutMs ?? 20_000;
    const original = readFileSync(file, 'utf8');
    await this.runCommand('Preferences: Open User Settings (JSON)');
    const editor = this.page.locator('.monaco-editor[data-uri$="/User/settings.json"]').first();
    await editor.waitFor({ state: 'visible', timeout: timeoutMs });
    try {
      await editor.locator('.view-lines').click();
      await this.page.keyboard.press('Control+A');
      await this.page.keyboard.press('Delete');
      // insertText, not typing: the editor would auto-close quotes and brackets as they go in.
      await this.page.keyboard.insertText(before + after);
      await this.page.keyboard.press('Control+Shift+End');
      await this.page.keyboard.press('Delete');
      for (let i = 0; i < after.length; i++) await this.page.keyboard.press('ArrowLeft');
      // Validation comes from a language server: wait (bounded) for the warnings the caller
      // knows must come, then a moment more for any others.
      if (options.atLeastWarnings) {
        await waitUntil(`${options.atLeastWarnings} warning(s) for settings.json`, timeoutMs, async () => ((await this.problems()).warnings >= options.atLeastWarnings! ? true : undefined));
      }
      await this.page.waitForTimeout(options.settleMs ?? 1_500);
      const counts = await this.problems();
      let suggestions: string[] = [];
      if (options.suggest) {
        await this.page.keyboard.press('Control+Space');
        const rows = this.page.locator('.suggest-widget .monaco-list-row');
        await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
        suggestions = (await this.page.locator('.suggest-widget .monaco-list-row .label-name').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
        await this.page.keyboard.press('Escape');
        await rows.first().waitFor({ state: 'hidden', timeout: 5_000 });
      }
      return { ...counts, suggestions };
    } finally {
      // No Escape here: in the modal editor it closes the editor, unsaved.
      await this.replaceEditorTextAndSave(editor, original);
      await waitUntil('settings.json to be saved as it was', timeoutMs, () => (readFileSync(file, 'utf8') === original ? true : undefined));
      await this.closeSettingsEditor(editor, timeoutMs);
    }
  }

  /** The status bar's problem counts (all files). */
  async problems(): Promise<{ errors: number; warnings: number }> {
    const text = (await this.page.locator('.part.statusbar [id="status.problems"]').first().textContent()) ?? '';
    const [errors, warnings] = (text.match(/\d+/g) ?? []).map(Number);
    if (errors === undefined || warnings === undefined) throw new Error(`cannot read the problem counts from the status bar: ${JSON.stringify(text)}`);
    return { errors, warnings };
  }

  // ---------------------------------------------------------------- status bar

  /**
   * The MoonTalk session item: VS Code gives it the id `<extension id>.<item id>`; its
   * text always contains "MoonTalk", which is the fallback should that id scheme change.
   */
  get statusBarItem(): Locator {
    const byId = this.page.locator('.part.statusbar [id="moontalk.moontalk-live.moontalk.session"]');
    const byText = this.page.locator('.part.statusbar .statusbar-item').filter({ hasText: 'MoonTalk' });
    return byId.or(byText).first();
  }

  /** The text of the status bar item `id` (`publisher.extension.itemId`) without icons, or undefined while it is not shown. */
  async statusItemText(id: string): Promise<string | undefined> {
    const item = this.page.locator(`.part.statusbar [id="${id}"]`).first();
    if (!(await item.isVisible())) return undefined;
    return ((await item.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The item's text without icons ("MoonTalk 0:12"), or undefined while it is not shown. */
  async statusText(): Promise<string | undefined> {
    if (!(await this.statusBarItem.isVisible())) return undefined;
    return ((await this.statusBarItem.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /**
   * The item's colour: 'warning-kind' / 'error-kind' (VS Code's classes for those theme colours),
   * else its computed background when it has one, else undefined (the plain status bar).
   */
  async statusBackground(): Promise<string | undefined> {
    if (!(await this.statusBarItem.isVisible())) return undefined;
    const colour = (await this.statusBarItem.evaluate(`(el) => (${READ_ITEM_COLOUR})(el)`)) as string;
    return colour === '' ? undefined : colour;
  }

  async waitForStatus(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    let last: string | undefined;
    try {
      return await waitUntil(`the status bar to match ${pattern}`, timeoutMs, async () => {
        last = await this.statusText();
        return last !== undefined && pattern.test(last) ? last : undefined;
      });
    } catch (err) {
      throw new Error(`${(err as Error).message}; it shows ${JSON.stringify(last)}`);
    }
  }

  /**
   * Records every text the MoonTalk item shows from now on, in the page (a
   * MutationObserver), so a state that lasts a few milliseconds is not missed by polling.
   */
  async startStatusRecorder(): Promise<void> {
    // A string, not a function: tsx's keepNames would wrap named inner functions in a
    // `__name` helper that does not exist in the page.
    await this.page.evaluate(`(() => {
      const w = window;
      if (w.__moontalkStatus) w.__moontalkStatus.observer.disconnect();
      const texts = [];
      const times = [];
      const colours = [];
      const colourOf = ${READ_ITEM_COLOUR};
      const read = () => {
        for (const el of document.querySelectorAll('.part.statusbar .statusbar-item')) {
          const t = (el.textContent || '').replace(/\\s+/g, ' ').trim();
          if (!t.includes('MoonTalk')) continue;
          if (texts[texts.length - 1] !== t) {
            texts.push(t);
            times.push(Date.now());
          }
          const c = colourOf(el);
          if (colours[colours.length - 1] !== c) colours.push(c);
        }
      };
      const bar = document.querySelector('.part.statusbar');
      const observer = new MutationObserver(read);
      if (bar) observer.observe(bar, { subtree: true, childList: true, characterData: true, attributes: true });
      read();
      w.__moontalkStatus = { texts, times, colours, observer };
    })()`);
  }

  /** Texts recorded since startStatusRecorder (consecutive repeats collapsed). */
  async statusHistory(): Promise<string[]> {
    return (await this.page.evaluate('window.__moontalkStatus ? window.__moontalkStatus.texts.slice() : []')) as string[];
  }

  /** Colours recorded since startStatusRecorder ('' = none; consecutive repeats collapsed). */
  async statusBackgroundHistory(): Promise<string[]> {
    return (await this.page.evaluate('window.__moontalkStatus && window.__moontalkStatus.colours ? window.__moontalkStatus.colours.slice() : []')) as string[];
  }

  /** The recorded texts with the milliseconds since the first one ("+10234 ms MoonTalk: handing off in 9 s"). */
  async statusTimeline(): Promise<string[]> {
    return (await this.page.evaluate(`(() => {
      const r = window.__moontalkStatus;
      return r ? r.texts.map((t, i) => '+' + (r.times[i] - r.times[0]) + ' ms ' + t) : [];
    })()`)) as string[];
  }

  async waitForStatusHistory(pattern: RegExp, timeoutMs: number): Promise<string> {
    try {
      return await waitUntil(`the status bar to have shown ${pattern}`, timeoutMs, async () => (await this.statusHistory()).find((t) => pattern.test(t)));
    } catch (err) {
      throw new Error(`${(err as Error).message}; it showed ${JSON.stringify((await this.statusHistory()).slice(-20))}`);
    }
  }

  // ---------------------------------------------------------------- notifications

  /** Messages of the notification toasts on screen. */
  async notifications(): Promise<string[]> {
    const texts = await this.page.locator('.notifications-toasts .notification-list-item-message').allTextContents();
    return texts.map((t) => t.replace(/\s+/g, ' ').trim());
  }

  async waitForNotification(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    try {
      return await waitUntil(`a notification matching ${pattern}`, timeoutMs, async () => (await this.notifications()).find((t) => pattern.test(t)));
    } catch (err) {
      throw new Error(`${(err as Error).message}; on screen: ${JSON.stringify(await this.notifications())}`);
    }
  }

  /** Clicks the button `label` on the toast whose message matches `message`. */
  async clickNotificationButton(message: RegExp, label: string, timeoutMs = 10_000): Promise<void> {
    await this.waitForNotification(message, timeoutMs);
    const toast = this.page.locator('.notifications-toasts .notification-list-item').filter({ has: this.page.locator('.notification-list-item-message').filter({ hasText: message }) }).first();
    await toast.locator('.monaco-button').filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) }).first().click({ timeout: 5_000 });
  }

  /** The active editor tab: its label ("notes", as code-server 4.139 shows it) and its aria-label (the file name, "notes.md, …"). */
  async activeEditor(): Promise<{ label: string; ariaLabel: string } | undefined> {
    const tab = this.page.locator('.part.editor .tabs-container .tab.active').first();
    if (!(await tab.isVisible())) return undefined;
    return {
      label: ((await tab.locator('.label-name').first().textContent()) ?? '').trim(),
      ariaLabel: ((await tab.getAttribute('aria-label')) ?? '').trim(),
    };
  }

  /** Waits until the active editor tab is the file `fileName`. */
  async waitForActiveEditor(fileName: string, timeoutMs = 10_000): Promise<void> {
    let last: { label: string; ariaLabel: string } | undefined;
    await waitUntil(`the editor ${fileName} to be active`, timeoutMs, async () => {
      last = await this.activeEditor();
      return last && (last.ariaLabel === fileName || last.ariaLabel.startsWith(`${fileName},`) || last.label === fileName) ? true : undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; the active tab is ${JSON.stringify(last)}`);
    });
  }

  /** Closes every toast (they cover the panel in screenshots). */
  async clearNotifications(): Promise<void> {
    if ((await this.notifications()).length === 0) return;
    await this.runCommand('Notifications: Clear All Notifications');
    await waitUntil('the notifications to close', 5_000, async () => ((await this.notifications()).length === 0 ? true : undefined));
  }

  // ---------------------------------------------------------------- editors

  /**
   * The text of the visible text editors, in the order of their groups: Monaco's
   * rendered lines (ordered by position, non-breaking spaces as spaces). Enough for
   * the few lines a spec writes.
   */
  async editorTexts(): Promise<string[]> {
    return (await this.page.evaluate(`Array.from(document.querySelectorAll('.editor-group-container .monaco-editor .view-lines'), (lines) =>
      Array.from(lines.querySelectorAll('.view-line'))
        .map((l) => [parseInt(l.style.top || '0', 10), (l.textContent || '').replace(/\u00a0/g, ' ')])
        .sort((a, b) => a[0] - b[0])
        .map((l) => l[1])
        .join('\\n'))`)) as string[];
  }

  /** Clicks into the editor showing `containing`, goes to the end of its text and pastes (Ctrl+V) on a new line. */
  async pasteIntoEditor(containing: string): Promise<void> {
    const editor = this.page.locator('.editor-group-container .monaco-editor', { hasText: containing }).first();
    await editor.locator('.view-lines').click({ timeout: 5_000 });
    await this.page.keyboard.press('Control+End');
    await this.page.keyboard.press('Enter');
    await this.page.keyboard.press('Control+V');
  }

  // ---------------------------------------------------------------- screenshots

  /**
   * Saves `<name>.png` (the whole window: panel and status bar together) and
   * `<name>-statusbar.png` (the status bar alone) under test-results/e2e/.
   */
  async screenshot(name: string): Promise<string[]> {
    const full = path.join(this.artifacts, `${name}.png`);
    const bar = path.join(this.artifacts, `${name}-statusbar.png`);
    // Toasts fade in: wait (bounded) until they are drawn in full.
    await waitUntil('notification toasts to finish fading in', 2_000, async () =>
      (await this.page.locator('.notifications-toasts .notification-fade-in:not(.notification-fade-in-done)').count()) === 0 ? true : undefined,
    ).catch(() => undefined);
    await this.page.screenshot({ path: full });
    await this.page.locator('.part.statusbar').screenshot({ path: bar });
    return [full, bar];
  }
}
