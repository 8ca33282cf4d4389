/**
 * The one redaction function. Every log line, CLI stderr line, error text, event
 * and debug JSON that leaves the process goes through it.
 *
 * It removes, by value: Google API keys (`AIza…`), any secret registered with a
 * {@link Redactor} (keys that don't look like Google keys, bearer credentials,
 * resumption handles), `key=` / `access_token=` URL parameters, `Bearer …`
 * headers, and whole `auth_tokens/…` names (masked to `auth_tokens/ab…yz`).
 * By key, in objects: see {@link SECRET_KEYS}.
 */

/** Object keys whose values are always secret. Compared case-insensitively. */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'apikey',
  'api_key',
  'key',
  'token',
  'accesstoken',
  'access_token',
  'authorization',
  'x-goog-api-key',
  'handle',
  'newhandle',
  'credential',
  'bearer',
  'secret',
  'password',
]);

const GOOGLE_KEY = /AIza[0-9A-Za-z_-]{20,}/g;
const URL_SECRET_PARAM = /([?&](?:key|access_token)=)[^&\s"'#]+/gi;
const BEARER = /(Bearer\s+)[^\s"',;]+/gi;
const TOKEN_NAME = /auth_tokens\/([A-Za-z0-9_-]{5,})/g;

/** A short, stable, non-reversible tag so the same secret can be recognised across lines. */
export function secretTag(value: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0').slice(0, 6);
}

/** `auth_tokens/abcdef…wxyz` → `auth_tokens/ab…yz`: enough to tell tokens apart, never enough to use one. */
export function maskTokenName(name: string): string {
  const id = name.startsWith('auth_tokens/') ? name.slice('auth_tokens/'.length) : name;
  if (id.length <= 4) return 'auth_tokens/…';
  return `auth_tokens/${id.slice(0, 2)}…${id.slice(-2)}`;
}

export function redactText(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  // Registered secrets first, longest first, so a secret that contains another is removed whole.
  const sorted = [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  for (const s of sorted) {
    if (out.includes(s)) out = out.split(s).join(`<secret:${secretTag(s)}>`);
    const encoded = encodeURIComponent(s);
    if (encoded !== s && out.includes(encoded)) out = out.split(encoded).join(`<secret:${secretTag(s)}>`);
  }
  out = out.replace(URL_SECRET_PARAM, (_m, p: string) => `${p}<redacted>`);
  out = out.replace(BEARER, (_m, p: string) => `${p}<redacted>`);
  out = out.replace(GOOGLE_KEY, (m) => `<key:${secretTag(m)}>`);
  out = out.replace(TOKEN_NAME, (m) => maskTokenName(m));
  return out;
}

/** Deep-copies `value` with secrets removed by key and by value. Cycles become "<cycle>". */
export function redactValue(value: unknown, secrets: Iterable<string> = [], seen = new WeakSet<object>()): unknown {
  const list = [...secrets];
  if (typeof value === 'string') return redactText(value, list);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '<cycle>';
  seen.add(value);
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return `<${value.byteLength} bytes>`;
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message, list) };
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, list, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEYS.has(k.toLowerCase()) && v !== undefined && v !== null && v !== '') {
      out[k] = typeof v === 'string' ? `<${k}:${secretTag(v)}>` : '<redacted>';
    } else if (k === 'data' && typeof v === 'string' && v.length > 64) {
      // Audio payloads: sizes only, never content (and never a wall of base64 in a log).
      out[k] = `<base64 ${v.length} chars>`;
    } else {
      out[k] = redactValue(v, list, seen);
    }
  }
  return out;
}

/**
 * Holds the secrets this process knows about (the API key, tokens, handles, broker
 * credentials) so that text that mentions them is redacted even where no pattern
 * would recognise them. One per process or extension host, passed in, never global.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  /** Short-lived secrets (handles, tokens) rotate through a bounded set so a long session's memory stays flat. */
  private readonly rotating = new Set<string>();

  constructor(private readonly maxRotating = 16) {}

  /** Registers a long-lived secret (an API key, a broker credential). Values under 4 characters are ignored. */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 4) this.secrets.add(value);
  }

  /** Registers a short-lived secret (a resumption handle, a token name); the oldest is forgotten past the bound. */
  addRotatingSecret(value: string | undefined): void {
    if (!value || value.length < 4 || this.rotating.has(value)) return;
    this.rotating.add(value);
    if (this.rotating.size > this.maxRotating) this.rotating.delete(this.rotating.values().next().value!);
  }

  private all(): string[] {
    return [...this.secrets, ...this.rotating];
  }

  text(text: string): string {
    return redactText(text, this.all());
  }

  value<T>(value: T): unknown {
    return redactValue(value, this.all());
  }
}
