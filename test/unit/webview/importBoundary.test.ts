import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * STYLE.md §1: webview code imports only src/protocol/ and browser-safe npm packages,
 * and only webview/ui/components.ts imports the UI toolkit. webview/tsconfig.json
 * cannot enforce this by itself (tsc follows any import it can resolve), so this test
 * does, the way GitLens's eslint rule guards its webviews.
 */
const ROOT = resolve(__dirname, '../../..');
const WEBVIEW = join(ROOT, 'webview');
const PACKAGES = new Set(['valibot', '@vscode/webview-ui-toolkit']);
const TOOLKIT_MODULE = 'webview/ui/components.ts';

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) {
    out.push((m[1] ?? m[2] ?? m[3])!);
  }
  return out;
}

describe('webview import boundary', () => {
  const files = tsFiles(WEBVIEW);

  it('finds the webview sources', () => {
    assert.ok(files.length > 10);
  });

  it('imports only webview/, src/protocol/ and allowed packages', () => {
    const bad: string[] = [];
    for (const file of files) {
      const rel = relative(ROOT, file);
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.')) {
          const target = relative(ROOT, resolve(dirname(file), spec));
          if (!target.startsWith('webview') && !target.startsWith(join('src', 'protocol'))) bad.push(`${rel} -> ${spec}`);
        } else {
          const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
          if (!PACKAGES.has(pkg)) bad.push(`${rel} -> ${spec}`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });

  it('keeps the UI toolkit behind ui/components.ts', () => {
    const users = files.filter((f) => specifiers(readFileSync(f, 'utf8')).some((s) => s.startsWith('@vscode/webview-ui-toolkit'))).map((f) => relative(ROOT, f));
    assert.deepEqual(users, [TOOLKIT_MODULE]);
  });
});
