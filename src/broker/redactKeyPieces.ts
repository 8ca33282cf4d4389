/**
 * Removes every run of `minPiece` or more characters that also occurs in a secret.
 *
 * @remarks
 * The Redactor removes whole secrets and `AIza…` runs. Upstream error text can carry a
 * key cut short, split across a line, or partly escaped (a proxy's "invalid key AIzaFAKEq7W…"
 * or a quoted fragment); the CLI contract allows no piece of the key longer than 4
 * characters anywhere. So the broker log scrubs every 5-character window of the text
 * that is a 5-character window of the key, merging overlapping hits into one mark.
 * Cost: one Set of the key's windows, one pass over the text.
 */
export function redactKeyPieces(text: string, secrets: Iterable<string>, minPiece = 5): string {
  const windows = new Set<string>();
  for (const secret of secrets) {
    for (let i = 0; i + minPiece <= secret.length; i++) windows.add(secret.slice(i, i + minPiece));
  }
  if (windows.size === 0 || text.length < minPiece) return text;
  const hit = new Uint8Array(text.length);
  let any = false;
  for (let i = 0; i + minPiece <= text.length; i++) {
    if (windows.has(text.slice(i, i + minPiece))) {
      hit.fill(1, i, i + minPiece);
      any = true;
    }
  }
  if (!any) return text;
  let out = '';
  for (let i = 0; i < text.length; ) {
    if (!hit[i]) {
      out += text[i];
      i++;
      continue;
    }
    while (i < text.length && hit[i]) i++;
    out += '<redacted>';
  }
  return out;
}
