import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The emulator stands in for the service: it must not share the client's code (and so
 * its mistakes). Nothing under src/emulator imports src/core or src/live.
 */
describe('emulator architecture', () => {
  it('imports nothing from src/core or src/live', () => {
    const dir = join(__dirname, '../../../src/emulator');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 5);
    for (const f of files) {
      const imports = [...readFileSync(join(dir, f), 'utf8').matchAll(/^\s*import[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
      for (const spec of imports) assert.ok(!/\/(core|live)(\/|$)/.test(spec), `${f} imports ${spec}`);
    }
  });
});
