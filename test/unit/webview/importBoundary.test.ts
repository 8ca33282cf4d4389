import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { BROWSER_SAFE_COMMON, scanImports, tsFiles } from '../../support/importScanner';

/**
 * STYLE.md §1: webview code imports only webview/, src/protocol/, the browser-safe
 * src/common modules (BROWSER_SAFE_COMMON) and browser-safe npm packages, and only
 * webview/ui/components.ts imports the UI toolkit. webview/tsconfig.json cannot enforce
 * this by itself (tsc follows any import it can resolve), so this test does, the way
 * GitLens's eslint rule guards its webviews. test/unit/architecture.test.ts checks the
 * same boundary with the other layers' rules; this file adds the toolkit rule.
 */
const ROOT = resolve(__dirname, '../../..');
const WEBVIEW = join(ROOT, 'webview');
const PACKAGES = new Set(['valibot', '@vscode/webview-ui-toolkit', 'marked', 'dompurify']);
const TOOLKIT_MODULE = 'webview/ui/components.ts';

const specifiers = (file: string) => scanImports(readFileSync(file, 'utf8')).map((s) => s.specifier);
const rel = (file: string) => relative(ROOT, file).split(sep).join('/');

describe('webview import boundary', () => {
  const files = tsFiles(WEBVIEW);

  it('finds the webview sources', () => {
    assert.ok(files.length > 10);
  });

  it('imports only webview/, src/protocol/, browser-safe src/common and allowed packages', () => {
    const bad: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(file)) {
        if (spec.startsWith('.')) {
          const target = rel(resolve(dirname(file), spec)).replace(/\.ts$/, '');
          const ok = target.startsWith('webview/') || target.startsWith('src/protocol/') || BROWSER_SAFE_COMMON.includes(target);
          if (!ok) bad.push(`${rel(file)} -> ${spec}`);
        } else {
          const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
          if (!PACKAGES.has(pkg)) bad.push(`${rel(file)} -> ${spec}`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });

  it('compiles the browser-safe src/common modules in the webview program (no Node types there)', () => {
    const include = (JSON.parse(readFileSync(join(WEBVIEW, 'tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as { include: string[] }).include;
    for (const m of BROWSER_SAFE_COMMON) assert.ok(include.includes(`../${m}.ts`), `webview/tsconfig.json should include ../${m}.ts`);
  });

  it('keeps the UI toolkit behind ui/components.ts', () => {
    const users = files.filter((f) => specifiers(f).some((s) => s.startsWith('@vscode/webview-ui-toolkit'))).map(rel);
    assert.deepEqual(users, [TOOLKIT_MODULE]);
  });
});
