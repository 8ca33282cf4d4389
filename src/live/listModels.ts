/**
 * ListModels (`GET {base}/v1beta/models`): which Live models a key can use. A Live model lists
 * `bidiGenerateContent` in `supportedGenerationMethods` (LIVE-PROTOCOL.md). The key goes in the
 * `x-goog-api-key` header, never in the URL, so no log of a URL can show it. Every request is
 * bounded by a timeout and the paging by a page limit.
 *
 * {@link joinWithTable} adds what the table (core/models.ts) knows: status, replacement, labels.
 */
import { MoonTalkError } from '../common/errors';
import { bareModelId, findLiveModel, LIVE_MODELS, type LiveModel, type ModelStatus } from '../core/models';

/** One Live model as the service lists it. */
export interface ServedModel {
  /** Without `models/`. */
  id: string;
  displayName?: string;
  description?: string;
}

export interface ListModelsOptions {
  baseUrl: string;
  apiKey: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Most pages followed; default 20 (the API's page size is up to 1000). */
  maxPages?: number;
  fetchImpl?: typeof fetch;
}

const LIVE_METHOD = 'bidiGenerateContent';
const PAGE_SIZE = 1000;

interface WireModel {
  name?: unknown;
  displayName?: unknown;
  description?: unknown;
  supportedGenerationMethods?: unknown;
}

/**
 * The models the key can use for Live sessions, in the service's order. Rejects with a
 * MoonTalkError: 'badKey' (400 "API key not valid", 401, 403), 'quota' (429),
 * 'serverError' (any other status, e.g. 404 where a backend does not offer ListModels),
 * 'network' (unreachable, timed out), 'protocol' (a body that is not a model list).
 */
export async function listLiveModels(options: ListModelsOptions): Promise<ServedModel[]> {
  const doFetch = options.fetchImpl ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const served: ServedModel[] = [];
  const seen = new Set<string>();
  let pageToken: string | undefined;
  const maxPages = options.maxPages ?? 20;
  for (let page = 0; page < maxPages; page++) {
    const url = new URL(`${base}/v1beta/models`);
    url.searchParams.set('pageSize', String(PAGE_SIZE));
    if (pageToken) url.searchParams.set('pageToken', pageToken);
    let res: Response;
    try {
      res = await doFetch(url, { headers: { 'x-goog-api-key': options.apiKey }, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    } catch (err) {
      throw new MoonTalkError('network', `Could not list the models at ${base}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
    const body = await res.text().catch(() => '');
    if (!res.ok) throw statusError(res.status, body, base);
    let parsed: { models?: unknown; nextPageToken?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      throw new MoonTalkError('protocol', `The model list from ${base} is not JSON.`);
    }
    if (parsed.models !== undefined && !Array.isArray(parsed.models)) throw new MoonTalkError('protocol', `The model list from ${base} has no "models" array.`);
    for (const m of (parsed.models ?? []) as WireModel[]) {
      if (typeof m?.name !== 'string') continue;
      const methods = Array.isArray(m.supportedGenerationMethods) ? m.supportedGenerationMethods : [];
      if (!methods.includes(LIVE_METHOD)) continue;
      const id = bareModelId(m.name);
      if (seen.has(id)) continue;
      seen.add(id);
      served.push({
        id,
        ...(typeof m.displayName === 'string' ? { displayName: m.displayName } : {}),
        ...(typeof m.description === 'string' ? { description: m.description } : {}),
      });
    }
    pageToken = typeof parsed.nextPageToken === 'string' && parsed.nextPageToken !== '' ? parsed.nextPageToken : undefined;
    if (!pageToken) return served;
  }
  // More pages than any real listing has: keep what was read rather than loop on.
  return served;
}

function statusError(status: number, body: string, base: string): MoonTalkError {
  let message = '';
  let rpcStatus = '';
  try {
    const error = (JSON.parse(body) as { error?: { message?: unknown; status?: unknown } }).error;
    message = String(error?.message ?? '');
    rpcStatus = String(error?.status ?? '');
  } catch {
    // not JSON: the HTTP status says enough
  }
  const detail = `HTTP ${status}${message ? `: ${message.slice(0, 200)}` : ''}`;
  // The API answers a wrong key on REST with 400 INVALID_ARGUMENT ("API key not valid"); this
  // request carries nothing else the server could find invalid (page tokens come from it).
  const keyRefused = status === 401 || status === 403 || (status === 400 && rpcStatus === 'INVALID_ARGUMENT');
  if (keyRefused) return new MoonTalkError('badKey', `The server refused the API key when listing models (${detail}).`, { code: status });
  if (status === 429) return new MoonTalkError('quota', `Listing models hit a quota or rate limit (${detail}).`, { code: status });
  return new MoonTalkError('serverError', `Could not list the models at ${base} (${detail}).`, { code: status });
}

/** A served (or configured) model with what the table knows about it. */
export interface ModelChoice {
  id: string;
  /** The table's name, else the service's, else the id. */
  label: string;
  /** The table's one-line description, else the service's. */
  description?: string;
  /** The table's status; undefined for a model the table does not know. */
  status?: ModelStatus;
  known: boolean;
  /** The service listed it for this key (false: only configured, e.g. after a shutdown). */
  served: boolean;
  /** Everything that is not for conversation (transcription, translation). */
  purpose?: LiveModel['purpose'];
}

const STATUS_ORDER: Record<ModelStatus['kind'], number> = { ga: 0, preview: 1, legacy: 2, deprecated: 3, shutDown: 4 };

/**
 * Joins the served list with the table: served models before the one only configured;
 * conversation models before the special-purpose ones; then GA, preview, legacy, deprecated,
 * then names the table does not know, each in the table's order (whose first row is the
 * default). `current` is added (served: false) when the service did not list it,
 * so the picker can say so.
 */
export function joinWithTable(served: readonly ServedModel[], current?: string): ModelChoice[] {
  const choices = served.map((s) => choiceFor(s.id, s, true));
  const currentId = current === undefined ? undefined : (findLiveModel(current)?.id ?? bareModelId(current));
  if (currentId && !choices.some((c) => c.id === currentId || (findLiveModel(c.id)?.id ?? c.id) === currentId)) choices.push(choiceFor(currentId, undefined, false));
  const rank = (c: ModelChoice) => {
    const table = c.known ? LIVE_MODELS.findIndex((m) => m.id === findLiveModel(c.id)?.id) : LIVE_MODELS.length;
    const purpose = c.purpose && c.purpose !== 'conversation' ? 1 : 0;
    const status = c.status ? STATUS_ORDER[c.status.kind] : 5;
    return [c.served ? 0 : 1, purpose, status, table];
  };
  return choices
    .map((c, i) => ({ c, r: [...rank(c), i] }))
    .sort((a, b) => {
      for (let k = 0; k < a.r.length; k++) if (a.r[k] !== b.r[k]) return a.r[k]! - b.r[k]!;
      return 0;
    })
    .map((x) => x.c);
}

/** The table's models that are still served (everything but shut-down ones), as choices. */
export function tableChoices(): ModelChoice[] {
  return LIVE_MODELS.filter((m) => m.status.kind !== 'shutDown').map((m) => choiceFor(m.id, undefined, true));
}

function choiceFor(id: string, served: ServedModel | undefined, isServed: boolean): ModelChoice {
  const known = findLiveModel(id);
  if (known) {
    return { id, label: known.displayName, description: known.description, status: known.status, known: true, served: isServed, purpose: known.purpose };
  }
  return { id, label: served?.displayName ?? id, ...(served?.description ? { description: served.description } : {}), known: false, served: isServed };
}
