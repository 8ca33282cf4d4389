/**
 * Google Search grounding as the emulator plays it. The service runs the search itself and
 * sends the pages the answer rests on as `serverContent.groundingMetadata`
 * (`groundingChunks[].web.{uri, title}`, `webSearchQueries`; LiveServerContent in the Live API
 * reference and the js-genai types), before the answer's parts. Deterministic, so tests can
 * assert on it: a user turn `search the web for QUERY` is answered with two sources for QUERY
 * when the setup declared `googleSearch` on a model that supports it; otherwise it is an
 * ordinary turn (the model answers from what it knows).
 */

const SEARCH_PROMPT = /search the web for\s+(.+?)[\s.?!]*$/i;

/** True when the setup's `tools` list holds a `googleSearch` tool. */
export function declaresGoogleSearch(tools: unknown): boolean {
  return Array.isArray(tools) && tools.some((t) => typeof t === 'object' && t !== null && !Array.isArray(t) && (t as Record<string, unknown>)['googleSearch'] !== undefined);
}

/** The query of a `search the web for QUERY` turn, or undefined. */
export function searchQuery(userText: string): string | undefined {
  const m = SEARCH_PROMPT.exec(userText.trim());
  return m ? m[1]!.trim().slice(0, 200) : undefined;
}

/**
 * The grounding of a search for `query`: the service's redirect links (it never gives the
 * pages' own URLs) with the sites' names as titles.
 */
export function groundingMetadataFor(query: string): Record<string, unknown> {
  const slug = encodeURIComponent(query.toLowerCase().replace(/\s+/g, '-')).slice(0, 80);
  return {
    webSearchQueries: [query],
    groundingChunks: [
      { web: { uri: `https://vertexaisearch.cloud.google.com/grounding-api-redirect/emulator-${slug}-1`, title: 'en.wikipedia.org' } },
      { web: { uri: `https://vertexaisearch.cloud.google.com/grounding-api-redirect/emulator-${slug}-2`, title: 'developer.mozilla.org' } },
    ],
  };
}

/** What the emulated model says with a grounded answer. */
export function groundedReplyText(query: string): string {
  return `According to the web, here is what I found about ${query}.`;
}
