/**
 * The function declarations for the tools of `vscode.lm.tools` Gemini is offered, and the way
 * back from a called function name to the tool. Pure: the tools come in as plain data.
 *
 * Limits: the service takes at most {@link MAX_FUNCTION_DECLARATIONS} declarations in a setup
 * (Vertex AI `Tool.functionDeclarations`: "Maximum 64 function declarations can be provided";
 * the emulator refuses more, with 1007). The editor's own tools come first; tools past the
 * limit are left out and named in the log. Descriptions are cut to
 * {@link MAX_DESCRIPTION_CHARS}: every declaration costs context on every turn.
 */
import { assignFunctionNames } from './functionNames';
import { isOffered, resultScheduling, type LmToolInfo, type LmToolPolicy, type ResultScheduling } from './lmToolPolicy';
import { toLiveSchema, type LiveSchema } from './liveSchema';

export const MAX_FUNCTION_DECLARATIONS = 64;
export const MAX_DESCRIPTION_CHARS = 2_000;

export interface LmFunctionDeclaration {
  name: string;
  description: string;
  parameters?: LiveSchema;
  behavior?: 'BLOCKING' | 'NON_BLOCKING';
}

/**
 * One declared tool. Whether its call asks first is not kept here: it is decided at call time
 * with the settings then (lmToolService.ts `needsConsent`), as for the editor tools.
 */
export interface LmCatalogEntry {
  /** The function name Gemini calls. */
  functionName: string;
  tool: LmToolInfo;
  scheduling: ResultScheduling;
}

export interface LmCatalog {
  declarations: LmFunctionDeclaration[];
  /** By function name. */
  entries: ReadonlyMap<string, LmCatalogEntry>;
  /** For the log: tools left out and schema keywords dropped. */
  notes: string[];
}

export interface CatalogOptions {
  policy: LmToolPolicy;
  /** Function names already declared (the editor tools). */
  taken: readonly string[];
  /** NON_BLOCKING where the model runs tools in the background, else undefined (the model's default). */
  behavior: 'BLOCKING' | 'NON_BLOCKING' | undefined;
  maxDeclarations?: number;
}

export function buildLmCatalog(tools: readonly LmToolInfo[], options: CatalogOptions): LmCatalog {
  const notes: string[] = [];
  const offered = tools.filter((t) => isOffered(t, options.policy));
  const room = Math.max(0, (options.maxDeclarations ?? MAX_FUNCTION_DECLARATIONS) - options.taken.length);
  const names = assignFunctionNames(
    offered.map((t) => t.name),
    options.taken,
  );
  const declarations: LmFunctionDeclaration[] = [];
  const entries = new Map<string, LmCatalogEntry>();
  for (const tool of [...offered].sort((a, b) => a.name.localeCompare(b.name))) {
    if (entries.size >= room) {
      notes.push(`${tool.name}: left out (the service takes at most ${options.maxDeclarations ?? MAX_FUNCTION_DECLARATIONS} function declarations)`);
      continue;
    }
    const functionName = names.byId.get(tool.name);
    if (!functionName || entries.has(functionName)) continue;
    const { schema, dropped } = toLiveSchema(tool.inputSchema);
    if (dropped.length > 0) notes.push(`${tool.name}: not sent to the model: ${dropped.join('; ')}`);
    const description = (tool.description || tool.name).slice(0, MAX_DESCRIPTION_CHARS);
    declarations.push({ name: functionName, description, ...(schema ? { parameters: schema } : {}), ...(options.behavior ? { behavior: options.behavior } : {}) });
    entries.set(functionName, {
      functionName,
      tool,
      scheduling: resultScheduling(tool),
    });
  }
  return { declarations, entries, notes };
}
