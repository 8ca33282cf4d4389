/**
 * A `fetch` for the upstream token service that reads at most `maxBytes` of an answer.
 *
 * @remarks
 * A token answer is a few hundred bytes. `Response.text()` buffers whatever arrives:
 * an upstream (or a proxy in between) answering with hundreds of megabytes grew the
 * broker to 975 MB RSS on a 300 MB body (measured). Past the cap the request is aborted,
 * so the socket closes and the rest is never read.
 */
import type { FetchLike } from '../live/tokenRest';

/** The most of an upstream answer the broker reads. */
export const MAX_UPSTREAM_BODY_BYTES = 64 * 1024;

export class UpstreamBodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the upstream answer is larger than ${maxBytes} bytes; it was not read`);
    this.name = 'UpstreamBodyTooLargeError';
  }
}

type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

export function cappedFetch(maxBytes = MAX_UPSTREAM_BODY_BYTES, base: FetchFn = globalThis.fetch): FetchLike {
  return async (url, init) => {
    // Our own controller, so that passing the cap can abort the transfer; the caller's
    // signal (its timeout) still aborts it too.
    const controller = new AbortController();
    const outer = init.signal;
    const forward = () => controller.abort(outer?.reason);
    if (outer?.aborted) forward();
    else outer?.addEventListener('abort', forward, { once: true });
    const release = () => outer?.removeEventListener('abort', forward);
    let res: Response;
    try {
      res = await base(url, { method: init.method, headers: init.headers, body: init.body, signal: controller.signal });
    } catch (err) {
      release();
      throw err;
    }
    return {
      status: res.status,
      async text(): Promise<string> {
        try {
          const declared = Number(res.headers.get('content-length'));
          if (Number.isFinite(declared) && declared > maxBytes) throw new UpstreamBodyTooLargeError(maxBytes);
          if (!res.body) return '';
          const reader = res.body.getReader();
          const chunks: Uint8Array[] = [];
          let size = 0;
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            size += value.byteLength;
            if (size > maxBytes) {
              await reader.cancel().catch(() => undefined);
              throw new UpstreamBodyTooLargeError(maxBytes);
            }
            chunks.push(value);
          }
          return Buffer.concat(chunks).toString('utf8');
        } catch (err) {
          controller.abort();
          throw err;
        } finally {
          release();
        }
      },
    };
  };
}
