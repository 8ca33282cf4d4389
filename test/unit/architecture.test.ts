import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { BROWSER_SAFE_COMMON, scanImports, tsFiles } from '../support/importScanner';

/**
 * The architecture of STYLE.md §1 in one test: every import of every file in src/ and
 * webview/ is checked against named rules. tsconfig.json cannot say "src/core may not
 * import src/extension" (one program holds both), and a type-only import ties a module
 * to another as surely as a value import, so both count.
 */
const ROOT = resolve(__dirname, '../..');

/** Where an import points: a repository file (path without extension) or a package. */
type Target = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'package'; readonly name: string };

interface Rule {
  readonly name: string;
  /** Why the edge is forbidden: the failure says it, so the fix is obvious. */
  readonly why: string;
  readonly appliesTo: (file: string) => boolean;
  readonly forbids: (target: Target) => boolean;
}

const WEBVIEW_PACKAGES: ReadonlySet<string> = new Set(['valibot', '@vscode/webview-ui-toolkit', 'marked', 'dompurify']);

const within = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);
const isFileIn = (t: Target, dir: string) => t.kind === 'file' && within(t.path, dir);
const isPackage = (t: Target, name: string) => t.kind === 'package' && (t.name === name || t.name.startsWith(`${name}/`));
const isCliFile = (path: string) => within(path, 'src/cli');

const inCore = (f: string) => within(f, 'src/core');
const inEmulator = (f: string) => within(f, 'src/emulator');
const inProtocol = (f: string) => within(f, 'src/protocol');

const RULES: readonly Rule[] = [
  { name: 'core-no-vscode', why: 'the session core runs in the CLI and in tests, where there is no vscode', appliesTo: inCore, forbids: (t) => isPackage(t, 'vscode') },
  {
    name: 'core-no-dom',
    why: 'the session core runs in Node; browser modules belong to webview/',
    appliesTo: inCore,
    forbids: (t) => isFileIn(t, 'webview') || isPackage(t, '@vscode/webview-ui-toolkit'),
  },
  { name: 'core-no-ws', why: 'the core reaches the network only through the Transport port (src/core/ports.ts)', appliesTo: inCore, forbids: (t) => isPackage(t, 'ws') },
  { name: 'core-no-wire', why: 'src/live implements the ports the core defines, not the other way round', appliesTo: inCore, forbids: (t) => isFileIn(t, 'src/live') },
  { name: 'core-no-host', why: 'the extension host uses the core; the core never uses the host', appliesTo: inCore, forbids: (t) => isFileIn(t, 'src/extension') },
  { name: 'core-no-emulator', why: 'the emulator is a server the core talks to over the wire, not a library', appliesTo: inCore, forbids: (t) => isFileIn(t, 'src/emulator') },
  { name: 'core-no-cli', why: 'the CLI uses the core; the core never uses the CLI', appliesTo: inCore, forbids: (t) => isFileIn(t, 'src/cli') },
  {
    name: 'emulator-independent',
    why: 'the emulator checks the client, so it must not share the client code (and its bugs) from src/core or src/live',
    appliesTo: inEmulator,
    forbids: (t) => isFileIn(t, 'src/core') || isFileIn(t, 'src/live'),
  },
  {
    name: 'protocol-neutral',
    why: 'both the host and the webview import src/protocol, so it imports neither side (no src/extension, no webview, no vscode)',
    appliesTo: inProtocol,
    forbids: (t) => isFileIn(t, 'src/extension') || isFileIn(t, 'webview') || isPackage(t, 'vscode'),
  },
  {
    name: 'webview-browser-only',
    why: `the panel runs in a browser: it may import webview/, src/protocol/, the browser-safe ${BROWSER_SAFE_COMMON.join(', ')} and the packages ${[...WEBVIEW_PACKAGES].join(', ')}`,
    appliesTo: (f) => within(f, 'webview'),
    forbids: (t) =>
      t.kind === 'package'
        ? ![...WEBVIEW_PACKAGES].some((p) => isPackage(t, p))
        : !(within(t.path, 'webview') || within(t.path, 'src/protocol') || BROWSER_SAFE_COMMON.includes(t.path)),
  },
  {
    name: 'cli-private',
    why: 'src/cli is an entry point (dist/cli.js); others run it as a child process, they do not import it',
    appliesTo: (f) => !isCliFile(f),
    forbids: (t) => t.kind === 'file' && isCliFile(t.path),
  },
];

/** Repository-relative, forward slashes, no .ts/.js extension (imports name modules either way). */
function modulePath(absolute: string): string {
  return relative(ROOT, absolute).split(sep).join('/').replace(/\.(ts|js|mjs|cjs)$/, '').replace(/\/index$/, '');
}

function target(file: string, specifier: string): Target {
  if (specifier.startsWith('.')) return { kind: 'file', path: modulePath(resolve(dirname(file), specifier)) };
  const name = specifier.startsWith('node:') ? specifier : specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
  return { kind: 'package', name };
}

/** One line per forbidden edge: `file:line imports 'x' (rule name: why)`. */
function violations(files: ReadonlyArray<{ path: string; source: string }>, rules: readonly Rule[] = RULES): string[] {
  const out: string[] = [];
  for (const { path, source } of files) {
    const rel = relative(ROOT, path).split(sep).join('/');
    const applicable = rules.filter((r) => r.appliesTo(rel));
    if (applicable.length === 0) continue;
    for (const site of scanImports(source)) {
      const t = target(path, site.specifier);
      for (const rule of applicable) {
        if (rule.forbids(t)) out.push(`${rel}:${site.line} imports '${site.specifier}' (rule ${rule.name}: ${rule.why})`);
      }
    }
  }
  return out;
}

const sources = () => [...tsFiles(join(ROOT, 'src')), ...tsFiles(join(ROOT, 'webview'))].map((path) => ({ path, source: readFileSync(path, 'utf8') }));
const at = (rel: string) => join(ROOT, rel);

describe('architecture (STYLE.md §1)', () => {
  it('has no forbidden import in src/ or webview/', () => {
    const found = violations(sources());
    assert.equal(found.length, 0, `forbidden imports:\n  ${found.join('\n  ')}`);
  });

  it('scans real imports (a scanner that finds nothing would pass anything)', () => {
    const specs = scanImports(readFileSync(at('src/core/liveSession.ts'), 'utf8')).map((s) => s.specifier);
    assert.ok(specs.includes('../common/clock'), specs.join(', '));
    assert.ok(sources().length > 100);
  });

  it('names only modules that exist (a renamed module would silently widen a rule)', () => {
    for (const m of BROWSER_SAFE_COMMON) assert.ok(existsSync(at(`${m}.ts`)), `${m}.ts is gone: update BROWSER_SAFE_COMMON`);
  });

  it('scanner: finds every import form, and nothing in comments, strings, templates or regexes', () => {
    const source = [
      "// import commented from 'in-a-line-comment';",
      "/* require('in-a-block-comment') */",
      "import type { A } from './typeOnly';",
      'import {',
      '  b,',
      "  c } from '../multiLine';",
      "import * as ns from 'namespace';",
      "import './sideEffect';",
      "export * from './reexportAll';",
      "export type { D } from './reexportType';",
      "const lazy = await import('./dynamic');",
      "type T = typeof import('./typeQuery');",
      "const r = require('./required');",
      "const s = 'import fake from \"in-a-string\"';",
      "const tpl = `import fake from 'in-a-template' ${JSON.stringify({ a: 1 })} require('x')`;",
      "const re = /import fake from 'in-a-regex'/g;",
      "export const f = Array.from('not-an-import');",
      'const meta = import.meta;',
    ].join('\n');
    assert.deepEqual(
      scanImports(source).map((s) => `${s.line}:${s.specifier}`),
      ['3:./typeOnly', '6:../multiLine', '7:namespace', '8:./sideEffect', '9:./reexportAll', '10:./reexportType', '11:./dynamic', '12:./typeQuery', '13:./required'],
    );
  });

  describe('each rule catches its edge', () => {
    const cases: ReadonlyArray<[rule: string, file: string, specifier: string]> = [
      ['core-no-vscode', 'src/core/x.ts', 'vscode'],
      ['core-no-dom', 'src/core/x.ts', '../../webview/ui/dom'],
      ['core-no-ws', 'src/core/x.ts', 'ws'],
      ['core-no-wire', 'src/core/x.ts', '../live/wsTransport'],
      ['core-no-host', 'src/core/x.ts', '../extension/settings'],
      ['core-no-emulator', 'src/core/x.ts', '../emulator/pcm'],
      ['core-no-cli', 'src/core/x.ts', '../cli/jsonLines'],
      ['emulator-independent', 'src/emulator/x.ts', '../core/duration'],
      ['emulator-independent', 'src/emulator/x.ts', '../live/serverFrames'],
      ['protocol-neutral', 'src/protocol/x.ts', '../extension/constants'],
      ['protocol-neutral', 'src/protocol/x.ts', '../../webview/ui/format'],
      ['webview-browser-only', 'webview/x.ts', '../src/core/duration'],
      ['webview-browser-only', 'webview/ui/x.ts', '../../src/extension/sessionView'],
      ['webview-browser-only', 'webview/x.ts', 'node:fs'],
      ['webview-browser-only', 'webview/x.ts', 'ws'],
      ['cli-private', 'src/extension/x.ts', '../cli/jsonLines'],
      ['cli-private', 'src/live/x.ts', '../cli/brokerCommand'],
      ['cli-private', 'src/broker/x.ts', '../cli/cliIo'],
    ];
    for (const [rule, file, specifier] of cases) {
      it(`${rule}: ${file} -> ${specifier}`, () => {
        const found = violations([{ path: at(file), source: `import type { X } from '${specifier}';\n` }]);
        assert.ok(
          found.some((v) => v.includes(`rule ${rule}:`) && v.startsWith(`${file}:1 imports '${specifier}'`)),
          `expected rule ${rule}, got: ${found.join(' | ') || 'nothing'}`,
        );
      });
    }
  });

  describe('and allows the edges the layout wants', () => {
    const allowed: ReadonlyArray<[file: string, specifier: string]> = [
      ['src/core/x.ts', '../common/clock'],
      ['src/core/x.ts', '@google/genai'],
      ['src/live/x.ts', '../core/ports'],
      ['src/extension/x.ts', '../core/liveSession'],
      ['src/extension/x.ts', 'vscode'],
      ['src/emulator/x.ts', '../common/clock'],
      ['src/emulator/x.ts', 'ws'],
      ['src/protocol/x.ts', 'valibot'],
      ['webview/x.ts', '../src/protocol/messages'],
      ['webview/ui/x.ts', '../../src/common/disposable'],
      ['webview/x.ts', '../src/common/event'],
      ['webview/ui/x.ts', '@vscode/webview-ui-toolkit'],
      ['src/cli/main.ts', './emulatorCommand'],
      ['src/cli/main.ts', './chatCommand'],
      ['src/cli/brokerCommand.ts', './cliIo'],
      ['src/cli/emulatorCommand.ts', '../emulator/liveEmulator'],
    ];
    for (const [file, specifier] of allowed) {
      it(`${file} -> ${specifier}`, () => {
        assert.deepEqual(violations([{ path: at(file), source: `import { X } from '${specifier}';\n` }]), []);
      });
    }
  });
});
