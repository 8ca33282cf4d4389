/**
 * Builds the user turn that carries editor context (Ask About Selection / Ask About
 * This File): the path, the language, the line range, the code in a fence, optional
 * diagnostics, and the user's question. Bounded: code beyond `maxChars` is cut with a
 * note saying so, so the model knows it did not see everything. Pure.
 */

export interface ContextDiagnostic {
  /** 1-based. */
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

export interface EditorContextInput {
  /** Workspace-relative where possible. */
  path: string;
  languageId: string;
  text: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  wholeFile: boolean;
  question?: string;
  diagnostics?: readonly ContextDiagnostic[];
}

export interface ContextMessage {
  /** The user turn to send. */
  message: string;
  /** One line for the transcript and history: "Context sent: src/a.ts lines 3–9 (120 chars)". */
  summary: string;
  /** Characters of code included. */
  codeChars: number;
  truncated: boolean;
}

/** Default bound of the code included in one context message. */
export const MAX_CONTEXT_CHARS = 20_000;
const MAX_DIAGNOSTICS = 20;
const MAX_DIAGNOSTIC_CHARS = 300;

/** A fence longer than any backtick run in the code, so the code cannot end it. */
function fenceFor(code: string): string {
  let longest = 0;
  for (const m of code.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** Fence info strings must not contain backticks or spaces; language ids never should, but be safe. */
function fenceLanguage(languageId: string): string {
  return languageId.replace(/[^A-Za-z0-9_+#.-]/g, '');
}

function rangeText(input: EditorContextInput): string {
  return input.startLine === input.endLine ? `line ${input.startLine}` : `lines ${input.startLine}–${input.endLine}`;
}

export function formatContextMessage(input: EditorContextInput, maxChars = MAX_CONTEXT_CHARS): ContextMessage {
  const truncated = input.text.length > maxChars;
  let code = truncated ? input.text.slice(0, maxChars) : input.text;
  // Never end inside a surrogate pair: the cut would leave half a character.
  if (truncated && /[\uD800-\uDBFF]$/.test(code)) code = code.slice(0, -1);
  const lang = fenceLanguage(input.languageId);
  const fence = fenceFor(code);
  const what = input.wholeFile ? `File: ${input.path} (${input.languageId}), ${rangeText(input)} (whole file):` : `File: ${input.path} (${input.languageId}), ${rangeText(input)}:`;
  const parts = [what, `${fence}${lang}\n${code}${code.endsWith('\n') ? '' : '\n'}${fence}`];
  if (truncated) parts.push(`[Truncated: only the first ${code.length} of ${input.text.length} characters are included.]`);
  const diagnostics = (input.diagnostics ?? []).slice(0, MAX_DIAGNOSTICS);
  if (diagnostics.length > 0) {
    const lines = diagnostics.map((d) => `- line ${d.line} ${d.severity}: ${d.message.replace(/\s+/g, ' ').slice(0, MAX_DIAGNOSTIC_CHARS)}`);
    const more = (input.diagnostics?.length ?? 0) - diagnostics.length;
    parts.push(`Problems reported by the editor:\n${lines.join('\n')}${more > 0 ? `\n- … and ${more} more` : ''}`);
  }
  const question = input.question?.trim();
  parts.push(question ? question : input.wholeFile ? 'Please look at this file.' : 'Please look at this code.');
  const summary = `Context sent: ${input.path} ${rangeText(input)} (${code.length} chars${truncated ? `, truncated from ${input.text.length}` : ''})`;
  return { message: parts.join('\n\n'), summary, codeChars: code.length, truncated };
}
