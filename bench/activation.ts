/**
 * Extension activation cost without VS Code: dist/extension.js is loaded with a stand-in
 * `vscode` module whose every API is an inert stub (a recursive Proxy), and activate()
 * is timed. What it measures is our own start-up work (module evaluation, object
 * construction, registrations), not VS Code's. The reference in the same run is loading
 * the @google/genai SDK bundle, which the issue measured at 84 ms.
 */
import Module from 'node:module';
import * as path from 'node:path';
import { median } from './stats';

const VSCODE_NAMESPACES = [
  'window', 'commands', 'workspace', 'env', 'l10n', 'languages', 'extensions', 'Uri', 'EventEmitter', 'Disposable',
  'StatusBarAlignment', 'ThemeColor', 'ThemeIcon', 'ExtensionMode', 'UIKind', 'ViewColumn', 'ConfigurationTarget',
  'ProgressLocation', 'MarkdownString', 'QuickPickItemKind', 'Range', 'Position', 'Selection', 'WorkspaceEdit',
  'TextEdit', 'DiagnosticSeverity', 'CancellationTokenSource', 'RelativePattern', 'FileType', 'FileSystemError', 'TabInputTextDiff', 'TextEditorRevealType', 'version',
];

/** Any property is another stub; calling or constructing returns a stub; events return disposables. */
function inertVscode(): unknown {
  const cache = new Map<PropertyKey, unknown>();
  const make = (name: string): unknown => {
    const fn = function () {
      return make(`${name}()`);
    };
    return new Proxy(fn, {
      // esbuild's CommonJS interop copies the module's own keys: list the API namespaces.
      ownKeys: (t) => [...Reflect.ownKeys(t), ...VSCODE_NAMESPACES.filter((k) => !Reflect.ownKeys(t).includes(k))],
      getOwnPropertyDescriptor: (t, prop) =>
        Reflect.getOwnPropertyDescriptor(t, prop) ?? (VSCODE_NAMESPACES.includes(prop as string) ? { configurable: true, enumerable: true, writable: true, value: undefined } : undefined),
      get(_t, prop) {
        if (prop === Symbol.toPrimitive) return () => '';
        if (prop === 'then') return undefined; // not a thenable
        if (prop === 'dispose') return () => {};
        if (prop === 't') return (s: string) => s; // l10n.t
        if (prop === 'version') return '1.139.0';
        if (prop === 'packageJSON') return { version: '0.0.0-bench' };
        if (prop === 'get') return (_k: string, d?: unknown) => d;
        if (prop === 'subscriptions') return [];
        if (prop === 'extensionMode') return 1;
        if (prop === 'uiKind') return 2;
        if (prop === 'length') return 0;
        if (prop === 'toString' || prop === 'toJSON') return () => name;
        // No folder open: the plainest start.
        if (prop === 'workspaceFolders' || prop === 'workspaceFile' || prop === 'storageUri') return undefined;
        if (prop === Symbol.iterator) return function* () {};
        const key = `${name}.${String(prop)}`;
        if (!cache.has(key)) cache.set(key, make(key));
        return cache.get(key);
      },
      set(_t, prop, value) {
        cache.set(`${name}.${String(prop)}`, value);
        return true;
      },
      defineProperty: () => true,
      apply() {
        return make(`${name}()`);
      },
      construct() {
        return make(`new ${name}`) as object;
      },
    });
  };
  return make('vscode');
}

function freshRequire(file: string): unknown {
  delete require.cache[require.resolve(file)];
  return require(file);
}

export function benchActivation(runs = 15): { activateMs: number; loadMs: number; sdkLoadMs: number } {
  const bundle = path.resolve(__dirname, '../dist/extension.js');
  const vscode = inertVscode();
  const load = (Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: unknown })._load = function (req: string, ...rest: unknown[]) {
    return req === 'vscode' ? vscode : load.call(this, req, ...rest);
  };
  const loads: number[] = [];
  const activations: number[] = [];
  const sdk: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      const ext = freshRequire(bundle) as { activate(ctx: unknown): unknown };
      loads.push(performance.now() - t);
      const context = inertVscode();
      t = performance.now();
      ext.activate(context);
      activations.push(performance.now() - t);
      t = performance.now();
      freshRequire('@google/genai');
      sdk.push(performance.now() - t);
    }
  } finally {
    (Module as unknown as { _load: unknown })._load = load;
  }
  return { loadMs: median(loads), activateMs: median(activations), sdkLoadMs: median(sdk) };
}
