/**
 * A small import scanner for the architecture tests (test/unit/architecture.test.ts and
 * test/unit/webview/importBoundary.test.ts). TypeScript 7 ships no JS compiler API, so
 * this tokenizes just enough of TS: comments are skipped, strings and template literals
 * are single tokens (so an import written inside a string or a comment is not an
 * import), and a `/` after an operator starts a regex literal.
 *
 * It finds, type-only forms included (a type import is still a dependency on the
 * module's meaning, and `import type` of a vscode type would still tie the core to it):
 * `import … from 'x'`, `import 'x'`, `import('x')` (calls and `typeof import('x')`),
 * `export … from 'x'`, and `require('x')`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ImportSite {
  readonly specifier: string;
  /** 1-based line of the specifier, for the failure message. */
  readonly line: number;
}

type Token = { kind: 'string'; value: string; line: number } | { kind: 'word' | 'punct'; value: string; line: number };

/** Tokens the scanner needs: words, punctuation and whole string literals; comments, regexes and template text dropped. */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  /** Open `${` of template literals, counting braces inside each. */
  const templateDepth: number[] = [];
  const last = () => tokens[tokens.length - 1];
  const regexAllowed = () => {
    const t = last();
    if (!t) return true;
    if (t.kind === 'string') return false;
    if (t.kind === 'word') return ['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await'].includes(t.value);
    return ![')', ']', '}'].includes(t.value);
  };
  const skipTemplate = () => {
    // At the character after a backtick or after the `}` closing a substitution.
    while (i < source.length) {
      const c = source[i]!;
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '\n') line++;
      if (c === '`') {
        i++;
        tokens.push({ kind: 'string', value: '', line });
        return;
      }
      if (c === '$' && source[i + 1] === '{') {
        i += 2;
        templateDepth.push(0);
        return;
      }
      i++;
    }
  };
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      for (let k = i; k < stop; k++) if (source[k] === '\n') line++;
      i = stop;
    } else if (c === "'" || c === '"') {
      const startLine = line;
      let value = '';
      i++;
      while (i < source.length && source[i] !== c && source[i] !== '\n') {
        if (source[i] === '\\') {
          value += source[i + 1] ?? '';
          i += 2;
        } else {
          value += source[i++];
        }
      }
      i++;
      tokens.push({ kind: 'string', value, line: startLine });
    } else if (c === '`') {
      i++;
      skipTemplate();
    } else if (c === '/' && regexAllowed()) {
      // A regex literal: skip to its closing slash (classes may hold a slash).
      let inClass = false;
      i++;
      while (i < source.length && source[i] !== '\n') {
        const r = source[i]!;
        if (r === '\\') i++;
        else if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if (r === '/' && !inClass) break;
        i++;
      }
      i++;
      while (i < source.length && /[a-z]/.test(source[i]!)) i++;
      tokens.push({ kind: 'punct', value: '/re/', line });
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < source.length && /[\w$]/.test(source[j]!)) j++;
      tokens.push({ kind: 'word', value: source.slice(i, j), line });
      i = j;
    } else if (/\d/.test(c)) {
      let j = i + 1;
      while (j < source.length && /[\w.]/.test(source[j]!)) j++;
      tokens.push({ kind: 'word', value: source.slice(i, j), line });
      i = j;
    } else {
      if (templateDepth.length > 0) {
        if (c === '{') templateDepth[templateDepth.length - 1]!++;
        else if (c === '}') {
          if (templateDepth[templateDepth.length - 1] === 0) {
            templateDepth.pop();
            i++;
            skipTemplate();
            continue;
          }
          templateDepth[templateDepth.length - 1]!--;
        }
      }
      tokens.push({ kind: 'punct', value: c, line });
      i++;
    }
  }
  return tokens;
}

/** Every module specifier `source` imports or re-exports, in order. */
export function scanImports(source: string): ImportSite[] {
  const t = tokenize(source);
  const out: ImportSite[] = [];
  const isWord = (k: number, value: string) => t[k]?.kind === 'word' && t[k]!.value === value;
  const isPunct = (k: number, value: string) => t[k]?.kind === 'punct' && t[k]!.value === value;
  const str = (k: number) => (t[k]?.kind === 'string' ? (t[k] as Token) : undefined);
  /** From token k, the string after the next `from`, before a `;` (bounded). */
  const fromClause = (k: number): Token | undefined => {
    for (let j = k; j < t.length && j < k + 500; j++) {
      if (isPunct(j, ';')) return undefined;
      if (isWord(j, 'from') && str(j + 1)) return str(j + 1);
    }
    return undefined;
  };
  for (let k = 0; k < t.length; k++) {
    const prevDot = isPunct(k - 1, '.');
    if (isWord(k, 'import') && !prevDot) {
      if (isPunct(k + 1, '(') && str(k + 2)) out.push({ specifier: str(k + 2)!.value, line: str(k + 2)!.line });
      else if (str(k + 1)) out.push({ specifier: str(k + 1)!.value, line: str(k + 1)!.line });
      else if (!isPunct(k + 1, '.') && !isPunct(k + 1, '(')) {
        const s = fromClause(k + 1);
        if (s) out.push({ specifier: s.value, line: s.line });
      }
    } else if (isWord(k, 'export') && !prevDot) {
      const j = isWord(k + 1, 'type') ? k + 2 : k + 1;
      if (isPunct(j, '*') || isPunct(j, '{')) {
        const s = fromClause(j);
        if (s) out.push({ specifier: s.value, line: s.line });
      }
    } else if (isWord(k, 'require') && isPunct(k + 1, '(') && str(k + 2)) {
      out.push({ specifier: str(k + 2)!.value, line: str(k + 2)!.line });
    }
  }
  return out;
}

/** The .ts files under `dir`, recursively, as absolute paths (sorted, for stable messages). */
export function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
    .sort();
}

/**
 * The src/common modules the webview may import: no DOM, no Node, no vscode (their
 * only globals, performance and setTimeout, exist in both runtimes). webview/tsconfig.json
 * compiles exactly these with no Node types, so one that starts to need Node fails there.
 */
export const BROWSER_SAFE_COMMON: readonly string[] = ['src/common/clock', 'src/common/disposable', 'src/common/errors', 'src/common/event', 'src/common/logger', 'src/common/redact'];
