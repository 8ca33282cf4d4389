/**
 * The one module that imports the UI toolkit. Views build controls only through
 * these factories and handles, so replacing @vscode/webview-ui-toolkit (archived
 * upstream in January 2025) with @vscode-elements/elements — or plain HTML —
 * touches this file alone.
 *
 * CSP findings (checked in headless Chromium under the panel's exact policy by
 * test/e2e/webviewHarness.ts):
 * - The toolkit (FAST Element 1.x) styles its shadow roots and design tokens with
 *   constructable stylesheets (adoptedStyleSheets), which `style-src ${cspSource}`
 *   does not block: no 'unsafe-inline' is needed, and the components render fully.
 * - FAST templates that bind a style="" attribute are blocked (reported as
 *   style-src-attr violations): vscode-badge (fill/color) and the *determinate*
 *   progress ring. So badge() below is a native span, and only the indeterminate
 *   ring is used. Meters and gauges are our own elements, filled through the CSSOM
 *   (element.style.setProperty), which the CSP allows.
 * - At load, @microsoft/fast-web-utilities probes `:focus-visible` support by
 *   appending a <style> element. It honours `<meta property="csp-nonce"
 *   content="N">`, so the host puts that meta and `'nonce-N'` into style-src
 *   (src/extension/panelHtml.ts): the probe runs, focus rings follow keyboard
 *   focus only, and the panel loads with no CSP violation (still no
 *   'unsafe-inline'; style="" attributes stay blocked). Without the nonce the
 *   probe is blocked and FAST falls back to `:focus`.
 *
 * Degradation: if custom-element registration throws (an old engine), the tags
 * would stay unknown HTML elements; instead every factory below builds a native
 * element when registerComponents() returned false, so each control stays usable,
 * labelled and keyboard-reachable (the native tabs select on click and arrow keys,
 * see tabs.ts).
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
  vsCodeProgressRing,
  vsCodeTextArea,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';
import { initialTab, tabAfterKey } from './tabs';

let registered: boolean | undefined;

/** Registers the toolkit's custom elements once. Returns false when they could not be registered. */
export function registerComponents(): boolean {
  if (registered !== undefined) return registered;
  try {
    provideVSCodeDesignSystem().register(
      vsCodeButton(),
      vsCodeCheckbox(),
      vsCodeDivider(),
      vsCodeDropdown(),
      vsCodeOption(),
      vsCodePanels(),
      vsCodePanelTab(),
      vsCodePanelView(),
      vsCodeProgressRing(),
      vsCodeTextArea(),
      vsCodeTextField(),
    );
    registered = true;
  } catch (err) {
    console.warn('[panel] UI toolkit unavailable, using native controls', err);
    registered = false;
  }
  return registered;
}

function toolkit(): boolean {
  return registerComponents();
}

/**
 * Calls `onUser` for the `change` events of `target` that the user caused, and returns the
 * way to set its value from code: FAST fires `change` for programmatic sets too, and a set
 * made through the returned function is not reported.
 */
function onUserChange(target: HTMLElement, onUser: () => void): (setFromCode: () => void) => void {
  let settingFromCode = false;
  target.addEventListener('change', () => {
    if (!settingFromCode) onUser();
  });
  return (setFromCode) => {
    settingFromCode = true;
    try {
      setFromCode();
    } finally {
      settingFromCode = false;
    }
  };
}

function create(tag: string, fallbackTag: string, className: string): HTMLElement {
  const el = document.createElement(toolkit() ? tag : fallbackTag);
  el.classList.add('mt-control', className);
  return el;
}

// ------------------------------------------------------------------ button

export interface ButtonOptions {
  /** Default 'secondary'. 'icon' is a compact square button; give it an ariaLabel. */
  readonly appearance?: 'primary' | 'secondary' | 'icon';
  /** Tooltip, required: every button says what it does; put its shortcut here (shortcutHint: "Connect (⌥C)" on macOS, "(Alt+C)" elsewhere). */
  readonly title: string;
  readonly ariaLabel?: string;
  readonly onClick?: (event: MouseEvent) => void;
}

export interface ButtonHandle {
  readonly element: HTMLElement;
  setLabel(label: string): void;
  setDisabled(disabled: boolean): void;
  setPressed(pressed: boolean | null): void;
  focus(): void;
}

export function button(label: string, opts: ButtonOptions): ButtonHandle {
  const el = create('vscode-button', 'button', 'mt-button');
  el.setAttribute('appearance', opts.appearance ?? 'secondary');
  if (!toolkit()) (el as HTMLButtonElement).type = 'button';
  el.textContent = label;
  if (opts.title) el.title = opts.title;
  if (opts.ariaLabel) el.setAttribute('aria-label', opts.ariaLabel);
  if (opts.onClick) {
    const onClick = opts.onClick;
    el.addEventListener('click', (e) => {
      if (el.hasAttribute('disabled')) return;
      onClick(e as MouseEvent);
    });
  }
  return {
    element: el,
    setLabel: (l) => {
      if (el.textContent !== l) el.textContent = l;
    },
    setDisabled: (d) => el.toggleAttribute('disabled', d),
    setPressed: (p) => (p === null ? el.removeAttribute('aria-pressed') : el.setAttribute('aria-pressed', String(p))),
    focus: () => el.focus(),
  };
}

// ------------------------------------------------------------------ checkbox

export interface CheckboxOptions {
  readonly checked?: boolean;
  readonly title?: string;
  /** Called on user changes only, not when `checked` is set from code. */
  readonly onChange?: (checked: boolean) => void;
}

export interface CheckboxHandle {
  readonly element: HTMLElement;
  checked: boolean;
  setDisabled(disabled: boolean): void;
}

export function checkbox(label: string, opts: CheckboxOptions = {}): CheckboxHandle {
  let el: HTMLElement;
  let input: HTMLInputElement | undefined;
  if (toolkit()) {
    el = create('vscode-checkbox', 'label', 'mt-checkbox');
    el.textContent = label;
  } else {
    el = document.createElement('label');
    el.classList.add('mt-control', 'mt-checkbox');
    input = document.createElement('input');
    input.type = 'checkbox';
    el.append(input, ` ${label}`);
  }
  if (opts.title) el.title = opts.title;
  const target = (input ?? el) as HTMLElement & { checked: boolean };
  const setQuietly = onUserChange(target, () => opts.onChange?.(target.checked));
  const handle: CheckboxHandle = {
    element: el,
    get checked() {
      return target.checked;
    },
    set checked(value: boolean) {
      if (target.checked === value) return;
      setQuietly(() => {
        target.checked = value;
      });
    },
    setDisabled: (d) => (input ? (input.disabled = d) : el.toggleAttribute('disabled', d)),
  };
  handle.checked = opts.checked ?? false;
  return handle;
}

// ------------------------------------------------------------------ text field / area

export interface TextFieldOptions {
  readonly value?: string;
  readonly placeholder?: string;
  readonly title?: string;
  readonly size?: number;
  readonly inputMode?: 'text' | 'numeric' | 'decimal';
  /** Every keystroke. */
  readonly onInput?: (value: string) => void;
  /** Commit (blur or Enter). */
  readonly onChange?: (value: string) => void;
}

export interface TextFieldHandle {
  readonly element: HTMLElement;
  value: string;
  /** Marks the field invalid (aria-invalid) and points aria-describedby at the message element. */
  setInvalid(messageId: string | null): void;
  setDisabled(disabled: boolean): void;
  focus(): void;
}

type ValueElement = HTMLElement & { value: string };

function valueHandle(el: ValueElement, opts: TextFieldOptions): TextFieldHandle {
  if (opts.title) el.title = opts.title;
  if (opts.placeholder) el.setAttribute('placeholder', opts.placeholder);
  el.addEventListener('input', () => opts.onInput?.(el.value));
  el.addEventListener('change', () => opts.onChange?.(el.value));
  const handle: TextFieldHandle = {
    element: el,
    get value() {
      return el.value ?? '';
    },
    set value(v: string) {
      if (el.value !== v) el.value = v;
    },
    setInvalid: (id) => {
      el.toggleAttribute('aria-invalid', id !== null);
      if (id) el.setAttribute('aria-describedby', id);
      else el.removeAttribute('aria-describedby');
      el.classList.toggle('mt-invalid', id !== null);
    },
    setDisabled: (d) => el.toggleAttribute('disabled', d),
    focus: () => el.focus(),
  };
  handle.value = opts.value ?? '';
  return handle;
}

export function textField(label: string, opts: TextFieldOptions = {}): TextFieldHandle {
  const el = create('vscode-text-field', 'input', 'mt-text-field') as ValueElement;
  if (toolkit()) el.textContent = label;
  else el.setAttribute('aria-label', label);
  if (opts.size) el.setAttribute('size', String(opts.size));
  if (opts.inputMode) el.setAttribute('inputmode', opts.inputMode);
  return valueHandle(el, opts);
}

export interface TextAreaOptions extends TextFieldOptions {
  readonly rows?: number;
  readonly hideLabel?: boolean;
  readonly onKeyDown?: (event: KeyboardEvent) => void;
}

/**
 * Multi-line input. The label is the accessible name; with `hideLabel` it is
 * visually hidden (the toolkit derives aria-label from the slotted label text and
 * would otherwise overwrite ours with "Text area").
 */
export function textArea(label: string, opts: TextAreaOptions = {}): TextFieldHandle {
  const el = create('vscode-text-area', 'textarea', 'mt-text-area') as ValueElement;
  if (toolkit()) {
    el.textContent = label;
    if (opts.hideLabel) el.classList.add('mt-label-hidden');
  } else {
    el.setAttribute('aria-label', label);
  }
  el.setAttribute('rows', String(opts.rows ?? 3));
  el.setAttribute('resize', 'vertical');
  if (opts.onKeyDown) el.addEventListener('keydown', opts.onKeyDown as EventListener);
  return valueHandle(el, opts);
}

// ------------------------------------------------------------------ dropdown

export interface DropdownOption<T extends string> {
  readonly value: T;
  readonly label: string;
}

export interface DropdownHandle<T extends string> {
  readonly element: HTMLElement;
  value: T;
  setDisabled(disabled: boolean): void;
  /** Replaces the choices (for lists that change, such as microphones), keeping the value if it still exists. */
  setOptions(options: readonly DropdownOption<T>[]): void;
}

export function dropdown<T extends string>(
  label: string,
  options: readonly DropdownOption<T>[],
  opts: { readonly value: T; readonly title?: string; readonly onChange?: (value: T) => void },
): DropdownHandle<T> {
  const el = create('vscode-dropdown', 'select', 'mt-dropdown') as ValueElement;
  el.setAttribute('aria-label', label);
  if (opts.title) el.title = opts.title;
  const makeOption = (o: DropdownOption<T>) => {
    const opt = document.createElement(toolkit() ? 'vscode-option' : 'option') as ValueElement;
    opt.setAttribute('value', o.value);
    opt.textContent = o.label;
    return opt;
  };
  for (const o of options) el.append(makeOption(o));
  const setQuietly = onUserChange(el, () => opts.onChange?.(el.value as T));
  const handle: DropdownHandle<T> = {
    element: el,
    get value() {
      return el.value as T;
    },
    set value(v: T) {
      if (el.value === v) return;
      setQuietly(() => {
        el.value = v;
      });
    },
    setDisabled: (d) => el.toggleAttribute('disabled', d),
    setOptions(next) {
      const keep = el.value as T;
      el.replaceChildren(...next.map(makeOption));
      const value = next.some((o) => o.value === keep) ? keep : (next[0]?.value ?? keep);
      queueMicrotask(() => (handle.value = value));
    },
  };
  // Options are upgraded asynchronously; set the value once they exist.
  queueMicrotask(() => (handle.value = opts.value));
  el.setAttribute('value', opts.value);
  return handle;
}

// ------------------------------------------------------------------ small display elements

/**
 * A small count/status pill. Native, not vscode-badge: FAST's badge template binds a
 * style="" attribute, which the CSP (no 'unsafe-inline') reports as a violation on
 * every render. Styled with --vscode-badge-* in panel.css.
 */
export function badge(text: string, title?: string): HTMLElement {
  const el = document.createElement('span');
  el.classList.add('mt-control', 'mt-badge');
  el.textContent = text;
  if (title) el.title = title;
  return el;
}

export function divider(): HTMLElement {
  const el = create('vscode-divider', 'hr', 'mt-divider');
  el.setAttribute('role', 'separator');
  return el;
}

/** Indeterminate busy indicator. */
export function progressRing(label: string): HTMLElement {
  const el = create('vscode-progress-ring', 'span', 'mt-progress-ring');
  el.setAttribute('aria-label', label);
  return el;
}

// ------------------------------------------------------------------ tabs

export interface PanelTab {
  readonly id: string;
  readonly label: string;
  readonly content: HTMLElement;
  readonly title?: string;
}

export interface PanelsHandle {
  readonly element: HTMLElement;
  readonly activeId: string;
  select(id: string): void;
}

/** Tabs (arrow keys move between them, per the ARIA tabs pattern the toolkit implements). */
export function panels(tabs: readonly PanelTab[], opts: { readonly activeId?: string; readonly ariaLabel: string; readonly onChange?: (id: string) => void }): PanelsHandle {
  if (!toolkit()) return nativePanels(tabs, opts);
  const el = create('vscode-panels', 'div', 'mt-panels');
  el.setAttribute('aria-label', opts.ariaLabel);
  for (const t of tabs) {
    const tab = document.createElement('vscode-panel-tab');
    tab.id = `tab-${t.id}`;
    tab.textContent = t.label;
    if (t.title) tab.title = t.title;
    el.append(tab);
  }
  for (const t of tabs) {
    const view = document.createElement('vscode-panel-view');
    view.id = `view-${t.id}`;
    view.classList.add('mt-panel-view');
    view.append(t.content);
    el.append(view);
  }
  const first = initialTab(tabs.map((t) => t.id), opts.activeId);
  el.setAttribute('activeid', `tab-${first}`);
  let active = first;
  el.addEventListener('change', () => {
    // The property updates before the attribute is reflected (FAST reflects on its update queue).
    const current = (el as HTMLElement & { activeid?: string }).activeid ?? el.getAttribute('activeid') ?? '';
    const id = current.replace(/^tab-/, '');
    if (id && id !== active) {
      active = id;
      opts.onChange?.(id);
    }
  });
  return {
    element: el,
    get activeId() {
      return active;
    },
    select: (id) => el.setAttribute('activeid', `tab-${id}`),
  };
}

/**
 * The tabs without the toolkit: buttons in a tablist, one visible tabpanel. The toolkit's
 * vscode-panels switches on click and arrow keys by itself; plain buttons do nothing
 * unless told, so this wires click, arrows, Home and End (ARIA tabs pattern, roving tabindex).
 */
function nativePanels(tabs: readonly PanelTab[], opts: { readonly activeId?: string; readonly ariaLabel: string; readonly onChange?: (id: string) => void }): PanelsHandle {
  const el = document.createElement('div');
  el.classList.add('mt-control', 'mt-panels');
  const list = document.createElement('div');
  list.setAttribute('role', 'tablist');
  list.setAttribute('aria-label', opts.ariaLabel);
  const ids = tabs.map((t) => t.id);
  const parts = tabs.map((t) => {
    const tab = document.createElement('button');
    tab.type = 'button';
    tab.id = `tab-${t.id}`;
    tab.textContent = t.label;
    if (t.title) tab.title = t.title;
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-controls', `view-${t.id}`);
    const view = document.createElement('div');
    view.id = `view-${t.id}`;
    view.classList.add('mt-panel-view');
    view.setAttribute('role', 'tabpanel');
    view.setAttribute('aria-labelledby', tab.id);
    view.append(t.content);
    tab.addEventListener('click', () => select(t.id));
    list.append(tab);
    return { id: t.id, tab, view };
  });
  el.append(list, ...parts.map((p) => p.view));
  let active = '';
  function show(id: string): void {
    for (const p of parts) {
      const on = p.id === id;
      p.tab.setAttribute('aria-selected', String(on));
      p.tab.tabIndex = on ? 0 : -1;
      p.view.hidden = !on;
    }
  }
  function select(id: string): void {
    if (!ids.includes(id) || id === active) return;
    active = id;
    show(id);
    opts.onChange?.(id);
  }
  list.addEventListener('keydown', (e) => {
    const next = tabAfterKey(ids, active, e.key);
    if (next === undefined) return;
    e.preventDefault();
    select(next);
    parts.find((p) => p.id === next)?.tab.focus();
  });
  active = initialTab(ids, opts.activeId);
  show(active);
  return {
    element: el,
    get activeId() {
      return active;
    },
    select,
  };
}

// ------------------------------------------------------------------ slider (no toolkit equivalent: native, themed in panel.css)

export interface SliderHandle {
  readonly element: HTMLInputElement;
  value: number;
}

export function slider(label: string, opts: { readonly min: number; readonly max: number; readonly step: number; readonly value: number; readonly title?: string; readonly onInput?: (value: number) => void }): SliderHandle {
  const el = document.createElement('input');
  el.type = 'range';
  el.classList.add('mt-control', 'mt-slider');
  el.min = String(opts.min);
  el.max = String(opts.max);
  el.step = String(opts.step);
  el.value = String(opts.value);
  el.setAttribute('aria-label', label);
  if (opts.title) el.title = opts.title;
  el.addEventListener('input', () => opts.onInput?.(Number(el.value)));
  return {
    element: el,
    get value() {
      return Number(el.value);
    },
    set value(v: number) {
      el.value = String(v);
    },
  };
}
