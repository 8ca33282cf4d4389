/**
 * Google Search grounding: the sources behind an answer, from `serverContent.groundingMetadata`
 * (the Live server message, when the setup declares the `googleSearch` tool). The service sends
 * `groundingChunks[].web.{uri, title}` (the pages the answer rests on, `uri` often a
 * vertexaisearch redirect) and `webSearchQueries` (what the model searched for). Pure; whatever
 * arrives is checked here, so the rest of the project gets only http(s) links with titles.
 */

export interface GroundingSource {
  /** An absolute http or https URL. */
  uri: string;
  title: string;
}

export interface Grounding {
  sources: GroundingSource[];
  queries: string[];
}

export const MAX_GROUNDING_SOURCES = 10;
export const MAX_GROUNDING_URI_CHARS = 2_000;
export const MAX_GROUNDING_TITLE_CHARS = 200;
const MAX_QUERIES = 5;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The URL when it is http(s) and not too long; anything else (javascript:, file:, junk) is dropped. */
export function webLink(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_GROUNDING_URI_CHARS) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}

/**
 * The web sources and queries of one `groundingMetadata`, deduplicated and bounded, or
 * undefined when it holds none (retrieval or maps grounding, or a malformed value).
 */
export function groundingFromMetadata(metadata: unknown): Grounding | undefined {
  if (!isObject(metadata)) return undefined;
  const sources: GroundingSource[] = [];
  const chunks = Array.isArray(metadata['groundingChunks']) ? metadata['groundingChunks'] : [];
  for (const chunk of chunks) {
    if (sources.length >= MAX_GROUNDING_SOURCES) break;
    const web = isObject(chunk) ? chunk['web'] : undefined;
    if (!isObject(web)) continue;
    const uri = webLink(web['uri']);
    if (!uri || sources.some((s) => s.uri === uri)) continue;
    const rawTitle = typeof web['title'] === 'string' && web['title'].trim() !== '' ? web['title'].trim() : new URL(uri).hostname;
    sources.push({ uri, title: rawTitle.slice(0, MAX_GROUNDING_TITLE_CHARS) });
  }
  const rawQueries = Array.isArray(metadata['webSearchQueries']) ? metadata['webSearchQueries'] : [];
  const queries = rawQueries.filter((q): q is string => typeof q === 'string' && q.trim() !== '').slice(0, MAX_QUERIES).map((q) => q.trim().slice(0, MAX_GROUNDING_TITLE_CHARS));
  if (sources.length === 0 && queries.length === 0) return undefined;
  return { sources, queries };
}

/** `more` added to `sources` without repeats, bounded (the sources of one answer arrive in several messages). */
export function mergeSources(sources: readonly GroundingSource[], more: readonly GroundingSource[]): GroundingSource[] {
  const out = [...sources];
  for (const s of more) if (out.length < MAX_GROUNDING_SOURCES && !out.some((o) => o.uri === s.uri)) out.push(s);
  return out;
}
