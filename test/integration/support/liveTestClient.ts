import WebSocket from 'ws';

/** A server frame as the test client saw it. */
export type ServerFrame = Record<string, any>;

/** Endpoint URLs the way the SDK builds them (ws scheme, optional double slash). */
export function keyUrl(baseUrl: string, key: string | undefined, opts: { apiVersion?: string; doubleSlash?: boolean } = {}): string {
  const ws = baseUrl.replace(/^http/, 'ws');
  const slash = opts.doubleSlash ? '//' : '/';
  const q = key === undefined ? '' : `?key=${key}`;
  return `${ws}${slash}ws/google.ai.generativelanguage.${opts.apiVersion ?? 'v1beta'}.GenerativeService.BidiGenerateContent${q}`;
}

export function tokenUrl(baseUrl: string, tokenName: string, opts: { encodeSlash?: boolean } = {}): string {
  const ws = baseUrl.replace(/^http/, 'ws');
  const name = opts.encodeSlash ? encodeURIComponent(tokenName) : tokenName;
  return `${ws}//ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained?access_token=${name}`;
}

/**
 * A raw `ws` client for driving the emulator frame by frame. Every wait is
 * bounded; `next()` consumes frames in order from a cursor.
 */
export class LiveTestClient {
  readonly frames: Array<{ at: number; frame: ServerFrame; binary: boolean }> = [];
  closed: { code: number; reason: string; at: number } | undefined;
  private cursor = 0;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
      this.frames.push({ at: Date.now(), frame: JSON.parse(text) as ServerFrame, binary: isBinary });
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString('utf8'), at: Date.now() };
      this.wake();
    });
    ws.on('error', () => {});
  }

  static connect(url: string, timeoutMs = 3000): Promise<LiveTestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const client = new LiveTestClient(ws);
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error('connect timeout'));
      }, timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(client);
      });
      ws.once('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode }));
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** Connects and sends `setup`; resolves after setupComplete (rejects if the socket closes instead). */
  static async open(url: string, setup: Record<string, unknown>, timeoutMs = 3000): Promise<LiveTestClient> {
    const client = await LiveTestClient.connect(url, timeoutMs);
    client.send({ setup });
    await client.next((f) => f['setupComplete'] !== undefined, timeoutMs);
    return client;
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** The next frame (after the cursor) matching `predicate`; skipped frames are consumed. */
  async next(predicate: (f: ServerFrame) => boolean = () => true, timeoutMs = 3000): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.frames.length) {
        const f = this.frames[this.cursor++]!.frame;
        if (predicate(f)) return f;
      }
      if (this.closed) throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) before the expected frame`);
      await this.waitChange(deadline);
    }
  }

  /** Frames up to and including the next `turnComplete`. */
  async turn(timeoutMs = 3000): Promise<ServerFrame[]> {
    const out: ServerFrame[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = await this.next(() => true, Math.max(1, deadline - Date.now()));
      out.push(f);
      if (f['serverContent']?.['turnComplete']) return out;
    }
  }

  async waitClose(timeoutMs = 3000): Promise<{ code: number; reason: string; at: number }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) await this.waitChange(deadline);
    return this.closed;
  }

  close(code?: number): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code);
  }

  terminate(): void {
    this.ws.terminate();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private waitChange(deadline: number): Promise<void> {
    const left = deadline - Date.now();
    if (left <= 0) return Promise.reject(new Error('timed out waiting for the emulator'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new Error('timed out waiting for the emulator'));
      }, left);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(done);
    });
  }
}

/** Text of a TEXT-modality reply. */
export function replyText(frames: ServerFrame[]): string {
  return frames
    .flatMap((f) => (f['serverContent']?.['modelTurn']?.['parts'] ?? []) as Array<{ text?: string }>)
    .map((p) => p.text ?? '')
    .join('');
}

/** POSTs JSON to the token endpoint. */
export async function postToken(baseUrl: string, body: unknown, key: string | undefined, raw?: string): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (key !== undefined) headers['x-goog-api-key'] = key;
  const res = await fetch(`${baseUrl}/v1alpha/auth_tokens`, { method: 'POST', headers, body: raw ?? JSON.stringify(body), signal: AbortSignal.timeout(3000) });
  return { status: res.status, json: await res.json() };
}

/** PCM16 test audio: a 440 Hz tone (speech to the VAD) or silence. */
export function tone(ms: number, rate = 16_000, amplitude = 6000): Int16Array {
  const n = Math.round((ms / 1000) * rate);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * amplitude);
  return out;
}

export function silence(ms: number, rate = 16_000): Int16Array {
  return new Int16Array(Math.round((ms / 1000) * rate));
}

export function toBase64(samples: Int16Array): string {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64');
}

export function sleepMs(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
