/**
 * media/panel.css is one hand-edited file that several features append to (and merges
 * join). A rule left open swallows every rule after it: Chromium reads them as nested
 * rules of the open one, so they match nothing (the chat view's strip lost its layout
 * that way once). This checks the file's block structure: every block closed, and no
 * style rule nested in another style rule (nesting only inside @media, @supports, @keyframes).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { blockProblems } from '../../support/cssBlocks';

const CSS_FILE = path.join(__dirname, '..', '..', '..', 'media', 'panel.css');

describe('media/panel.css', () => {
  it('closes every block and nests style rules only in at-rules', () => {
    assert.deepEqual(blockProblems(readFileSync(CSS_FILE, 'utf8')), []);
  });

  it('finds a rule left open (the check can fail)', () => {
    const broken = '.a {\n  color: red;\n/* next */\n.b {\n  color: blue;\n}\n';
    assert.deepEqual(blockProblems(broken), ['line 4: ".b" opens inside the rule opened on line 1 (is a } missing?)', 'line 1: a block is never closed']);
    assert.deepEqual(blockProblems('@media (max-width: 1px) {\n  .a { color: red; }\n}\n@keyframes k {\n  from { opacity: 0; }\n  to { opacity: 1; }\n}\n'), []);
  });
});
