import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MODEL, LIVE_MODELS } from '../../src/core/models';

describe("README's model section", () => {
  const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const start = readme.indexOf('## Models');
  const section = start < 0 ? '' : readme.slice(start, readme.indexOf('\n## ', start + 1));

  it('lists every model of the table, in a row that says its status', () => {
    assert.ok(section.length > 0, 'no "## Models" section');
    const words: Record<string, RegExp> = { ga: /\bGA\b/, preview: /preview/, legacy: /legacy/, deprecated: /deprecated/, shutDown: /shut down/ };
    for (const m of LIVE_MODELS) {
      const row = section.split('\n').find((l) => l.startsWith('|') && l.includes(`\`${m.id}\``));
      assert.ok(row, `${m.id} is not in the README's model table`);
      assert.match(row, words[m.status.kind]!, `${m.id}: ${row}`);
      if (m.status.replacement) assert.ok(row.includes(`use \`${m.status.replacement}\``), `${m.id} does not name its replacement: ${row}`);
    }
    assert.match(section, new RegExp(`\`${DEFAULT_MODEL.replace(/\./g, '\\.')}\` \\| GA, \\*\\*default\\*\\*`));
  });
});
