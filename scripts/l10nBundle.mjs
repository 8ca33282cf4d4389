// Writes l10n/bundle.l10n.json: every string passed to vscode.l10n.t(...) in src/extension,
// or to t(...) / this.t(...) where t is a Localize (src/extension/localize.ts: the view models take
// vscode.l10n.t as a parameter named t, so they run in plain Node), keyed by itself (the
// English source; translators add bundle.l10n.<lang>.json beside it).
//   node scripts/l10nBundle.mjs          write the bundle
//   node scripts/l10nBundle.mjs --check  exit 1 when the bundle is out of date
// (@vscode/l10n-dev does the same, with more cases; this project's calls are all plain literals.)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'src/extension';
// `l10n.t(`, `this.t(` or a bare `t(` (not `.t(` of something else, not the end of a longer name).
const call = /(?:\bl10n\.t|\bthis\.t|(?<![\w$.])t)\(\s*(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)")/g;
const strings = new Set();
// Recursive: feature folders (history/, tools/, …) hold user-facing strings too.
const files = readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.ts')).sort();
for (const file of files) {
  const text = readFileSync(join(dir, file), 'utf8');
  for (const m of text.matchAll(call)) {
    const raw = m[1] ?? m[2];
    strings.add(JSON.parse(`"${raw.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`));
  }
}
const bundle = Object.fromEntries([...strings].sort().map((s) => [s, s]));
const json = `${JSON.stringify(bundle, null, 2)}\n`;
const out = 'l10n/bundle.l10n.json';
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {}
  if (current !== json) {
    console.error(`${out} is out of date: run node scripts/l10nBundle.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(out, json);
  console.log(`${out}: ${strings.size} strings`);
}
