import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

describe('the l10n bundle', () => {
  it('lists every vscode.l10n.t string of src/extension (scripts/l10nBundle.mjs --check)', () => {
    const root = path.resolve(__dirname, '../../..');
    const run = spawnSync(process.execPath, ['scripts/l10nBundle.mjs', '--check'], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 0, run.stderr || run.stdout);
  });
});
