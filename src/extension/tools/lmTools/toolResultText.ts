/**
 * Turns a `LanguageModelToolResult` into the text the model gets, bounded. Pure: parts are
 * read by shape, not by class, so this runs without VS Code.
 *
 * - `LanguageModelTextPart` (`{ value: string }`): its text.
 * - `LanguageModelPromptTsxPart` (`{ value: object }`): its JSON.
 * - `LanguageModelDataPart` (`{ mimeType, data }`): text/JSON data decoded; anything else
 *   (an image an MCP tool returns) is named, not sent: the Live API takes no binary in a
 *   function response.
 * The joined text is cut at `maxChars` with a note saying how much was left out, so a tool
 * that returns a whole log cannot overrun the model's context.
 */

export const MAX_TOOL_RESULT_CHARS = 20_000;

function partText(part: unknown): string {
  if (typeof part === 'string') return part;
  if (typeof part !== 'object' || part === null) return '';
  const p = part as { value?: unknown; mimeType?: unknown; data?: unknown };
  if (typeof p.value === 'string') return p.value;
  if (typeof p.mimeType === 'string' && p.data instanceof Uint8Array) {
    const mime = p.mimeType.toLowerCase();
    if (mime.startsWith('text/') || mime.includes('json')) return new TextDecoder().decode(p.data);
    return `[${p.mimeType} data, ${p.data.byteLength} bytes, not shown]`;
  }
  if (p.value !== undefined) {
    try {
      return JSON.stringify(p.value) ?? '';
    } catch {
      return '';
    }
  }
  return '';
}

/** The result's parts as one text, at most `maxChars` characters. */
export function toolResultText(content: readonly unknown[], maxChars = MAX_TOOL_RESULT_CHARS): string {
  const text = content.map(partText).filter((t) => t.length > 0).join('\n');
  if (text.length <= maxChars) return text;
  const note = `\n… (${text.length - maxChars} more characters left out)`;
  return text.slice(0, Math.max(0, maxChars - note.length)) + note;
}
