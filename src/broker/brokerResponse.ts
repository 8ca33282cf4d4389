/**
 * How the broker answers: JSON, never cached, errors in the Google API shape
 * `{"error":{"code","message","status"}}` that BrokerTokenMinter reads.
 */
import type { ServerResponse } from 'node:http';

export type BrokerStatus = 200 | 400 | 401 | 403 | 404 | 405 | 413 | 429 | 500 | 502;

const STATUS_NAMES: Record<Exclude<BrokerStatus, 200>, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
};

export function brokerErrorBody(
  code: Exclude<BrokerStatus, 200>,
  message: string,
  requestId?: string,
): { error: { code: number; message: string; status: string; requestId?: string } } {
  return { error: { code, message, status: STATUS_NAMES[code], ...(requestId ? { requestId } : {}) } };
}

export function sendJson(res: ServerResponse, status: BrokerStatus, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    // A token is a credential: no proxy or browser may keep a copy.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

/** `requestId` ties a 5xx answer to its log line, which holds what the client is not shown. */
export function sendError(res: ServerResponse, status: Exclude<BrokerStatus, 200>, message: string, headers: Record<string, string> = {}, requestId?: string): void {
  sendJson(res, status, brokerErrorBody(status, message, requestId), headers);
}
