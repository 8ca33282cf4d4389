// Builds every bundle: one esbuild context per target (where the code runs).
//   node esbuild.mjs               build once
//   node esbuild.mjs --production  minified, no source maps (what the .vsix ships)
//   node esbuild.mjs --watch       rebuild on change
// Types are checked separately with `tsc --noEmit` (npm run typecheck), as esbuild does not check them.
import * as esbuild from 'esbuild';
import { chmodSync, existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** ws loads these native speed-ups when present and works without them. */
const wsOptional = ['bufferutil', 'utf-8-validate'];

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

/** @type {esbuild.BuildOptions[]} */
const targets = [
  {
    // The CLI: session core, emulator and broker without VS Code.
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: wsOptional,
  },
];

if (existsSync('src/extension/extension.ts')) {
  targets.push({
    // The extension host: Node, CommonJS, vscode provided by the host.
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', ...wsOptional],
  });
}

if (existsSync('test/extensionHost/index.ts')) {
  targets.push({
    // Extension-host tests: mocha's run() and the specs, loaded inside VS Code by
    // @vscode/test-cli (.vscode-test.mjs) or the code-server runner. mocha comes
    // from node_modules at run time (it loads reporters dynamically).
    ...common,
    minify: false,
    entryPoints: ['test/extensionHost/index.ts', 'test/extensionHost/*.test.ts'],
    outdir: 'out/test/extensionHost',
    outbase: 'test/extensionHost',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha', ...wsOptional],
  });
}

if (existsSync('webview/main.ts')) {
  targets.push(
    {
      // The webview panel: a browser bundle.
      ...common,
      entryPoints: ['webview/main.ts'],
      outfile: 'dist/webview.js',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
    },
    {
      // AudioWorklet processors run in their own global scope: separate bundles.
      ...common,
      entryPoints: ['webview/audio/captureProcessor.ts', 'webview/audio/playbackProcessor.ts'],
      outdir: 'dist/worklets',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
    },
  );
}

if (watch) {
  for (const t of targets) {
    const ctx = await esbuild.context(t);
    await ctx.watch();
  }
  console.error('[esbuild] watching for changes');
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  chmodSync('dist/cli.js', 0o755);
}
