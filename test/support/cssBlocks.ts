/** The block structure of a CSS file, checked without a CSS parser (test/unit/webview/panelCss.test.ts says why). */

/** Problems in `css`'s block structure, each with its line. */
export function blockProblems(css: string): string[] {
  const source = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  const problems: string[] = [];
  const stack: Array<{ kind: 'at' | 'rule'; line: number }> = [];
  let line = 1;
  let prelude = '';
  for (const ch of source) {
    if (ch === '\n') line++;
    if (ch === '{') {
      const kind = prelude.trim().startsWith('@') ? 'at' : 'rule';
      const parent = stack.at(-1);
      if (kind === 'rule' && parent?.kind === 'rule' && !/^(from|to|\d+%)/.test(prelude.trim())) {
        problems.push(`line ${line}: "${prelude.trim()}" opens inside the rule opened on line ${parent.line} (is a } missing?)`);
      }
      stack.push({ kind, line });
      prelude = '';
    } else if (ch === '}') {
      if (!stack.pop()) problems.push(`line ${line}: } closes nothing`);
      prelude = '';
    } else if (ch === ';') {
      prelude = '';
    } else {
      prelude += ch;
    }
  }
  for (const open of stack) problems.push(`line ${open.line}: a block is never closed`);
  return problems;
}
