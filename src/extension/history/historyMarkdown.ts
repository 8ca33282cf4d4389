/**
 * A conversation as Markdown, for export and for reading in an editor. Pure.
 *
 * What the user said is their own words, so it is escaped: a line that would start a
 * heading, quote, list or fence is backslash-escaped, and `<` becomes `&lt;` so nothing
 * renders as HTML. Gemini's answers are Markdown (the panel renders them so), so they
 * stay Markdown: code blocks keep their fences (and their text, verbatim), while HTML
 * outside code is escaped, headings are moved below the turn's own heading, and a fence
 * the answer left open is closed so it cannot swallow the next turn. Tool calls go in
 * fenced JSON blocks whose fence is longer than any backtick run inside, so no content
 * can close the block early.
 */
import { conversationTitle, type Conversation, type HistoryEntry, type HistoryToolCall } from './conversationHistory';

/** ISO 8601 in UTC without milliseconds: stable across time zones (and in tests). */
export function formatTimestamp(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Escapes text so Markdown shows it literally (line structure kept). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/([\\`*_[\]|])/g, '\\$1')
        // Block syntax only matters at the start of a line (after indentation).
        .replace(/^(\s*)(#{1,6}(?=\s|$)|>|[-+](?=\s)|=+\s*$|~~~)/, '$1\\$2')
        .replace(/^(\s*)(\d+)([.)])(?=\s)/, '$1$2\\$3'),
    )
    .join('\n');
}

/** `<` outside inline code spans becomes `&lt;` (inside a span it is shown literally anyway). */
function escapeHtmlOutsideCode(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const run = /^`+/.exec(line.slice(i));
    if (run) {
      // A span closes at the next run of exactly the same length; without one the backticks are text.
      const close = new RegExp(`(?<!\`)${run[0]}(?!\`)`, 'g');
      close.lastIndex = i + run[0].length;
      const end = close.exec(line);
      const stop = end ? end.index + run[0].length : i + run[0].length;
      out += line.slice(i, stop);
      i = stop;
      continue;
    }
    const c = line[i]!;
    out += c === '<' ? '&lt;' : c;
    i++;
  }
  return out;
}

const FENCE_OPEN = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/;

/** An answer's Markdown for the export: fences and code kept verbatim, HTML escaped, headings below the turn's, open fences closed. */
export function answerMarkdown(text: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (fence) {
      out.push(line);
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) fence = undefined;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (open) {
      fence = open[1]!;
      out.push(line);
      continue;
    }
    const heading = /^ {0,3}(#{1,6})(?=\s|$)/.exec(line);
    // The turn's heading is ###: the answer's own headings go below it (h4 to h6).
    const demoted = heading ? line.replace(heading[1]!, '#'.repeat(Math.min(6, heading[1]!.length + 3))) : line;
    out.push(escapeHtmlOutsideCode(demoted));
  }
  if (fence) out.push(fence);
  return out.join('\n');
}

/** A fence that no backtick run in `content` can close. */
export function fenceFor(content: string): string {
  let longest = 0;
  for (const m of content.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function fenced(language: string, content: string): string {
  const fence = fenceFor(content);
  return `${fence}${language}\n${content}\n${fence}`;
}

const ROLE_LABEL: Record<HistoryEntry['role'], string> = { user: 'You', model: 'Gemini', system: 'Note' };

function toolCallMarkdown(call: HistoryToolCall): string {
  const head = `**Tool call** \`${call.name.replace(/`/g, '')}\` — ${call.status}${call.callId ? ` (id ${escapeMarkdown(call.callId)})` : ''}`;
  const body: Record<string, unknown> = { name: call.name, args: call.args };
  if (call.output !== undefined) body[call.status === 'ok' ? 'result' : 'error'] = call.output;
  return `${head}\n\n${fenced('json', JSON.stringify(body, null, 2))}`;
}

function entryMarkdown(e: HistoryEntry): string {
  const where = [e.sessionId ? `session ${e.sessionId}` : undefined, e.connection > 0 ? `connection ${e.connection}` : undefined].filter(Boolean).join(', ');
  const label = e.kind === 'context' ? 'Context sent' : ROLE_LABEL[e.role];
  const heading = `### ${e.turn > 0 ? `Turn ${e.turn} · ` : ''}${label} · ${formatTimestamp(e.at)}${where ? ` · ${where}` : ''}`;
  const parts = [heading];
  if (e.text.trim() !== '') parts.push(e.role === 'model' && e.kind === undefined ? answerMarkdown(e.text) : escapeMarkdown(e.text));
  for (const call of e.toolCalls ?? []) parts.push(toolCallMarkdown(call));
  return parts.join('\n\n');
}

/** The whole conversation: a title, a line of metadata, then one section per entry, oldest first. */
export function conversationToMarkdown(c: Conversation): string {
  const lines = [
    `# ${escapeMarkdown(conversationTitle(c))}`,
    '',
    `_Started ${formatTimestamp(c.startedAt)} · last activity ${formatTimestamp(c.updatedAt)} · ${escapeMarkdown(c.model)} on ${escapeMarkdown(c.backend)} · conversation ${escapeMarkdown(c.id)}_`,
  ];
  if (c.entries.length === 0) lines.push('', '_No turns yet._');
  for (const e of c.entries) lines.push('', entryMarkdown(e));
  return `${lines.join('\n')}\n`;
}
