/**
 * Gives each tool of `vscode.lm.tools` a function name the Live API accepts, unique among
 * all declarations, and maps it back. Pure.
 *
 * The service's rule (generativelanguage v1beta `FunctionDeclaration.name`, as the docs and
 * the SDKs' type docs say): letters, digits, underscores, dots, colons and dashes, at most 64
 * characters; Vertex AI adds "must start with a letter or an underscore", so names are made to
 * (a name valid for both is valid for either). An invalid name makes the whole setup invalid
 * (close 1007), so no tool's name is sent unchecked.
 *
 * Valid names stay as they are (the model reads them; `mcp_everything_echo` says what it is).
 * Others have each run of other characters replaced by `_`, a leading `_` when they start with a
 * digit, dot, colon or dash, and are cut to fit. Two tools that end up with the same name, or a
 * name already taken (the editor tools), get `_2`, `_3`, … Which tool wins the plain name
 * depends only on the order of the tool ids, so the names do not move between setups while
 * the set of tools stays the same.
 */

export const FUNCTION_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;
export const MAX_FUNCTION_NAME_CHARS = 64;

export function isValidFunctionName(name: string): boolean {
  return FUNCTION_NAME_PATTERN.test(name);
}

/** A name the service accepts for `id` (not yet made unique). */
export function sanitizeFunctionName(id: string): string {
  let name = id.replace(/[^A-Za-z0-9_.:-]+/g, '_');
  if (!/^[A-Za-z_]/.test(name)) name = `_${name}`;
  return name.slice(0, MAX_FUNCTION_NAME_CHARS);
}

export interface FunctionNameMap {
  /** Tool id → function name. */
  readonly byId: ReadonlyMap<string, string>;
  /** Function name → tool id. */
  readonly byName: ReadonlyMap<string, string>;
}

/**
 * Names for `ids` (tool names as `vscode.lm.tools` gives them), none equal to a name in
 * `taken`. Deterministic: sorted ids are named in order.
 */
export function assignFunctionNames(ids: readonly string[], taken: Iterable<string> = []): FunctionNameMap {
  const used = new Set(taken);
  const byId = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const id of [...new Set(ids)].sort()) {
    const base = sanitizeFunctionName(id);
    let name = base;
    for (let n = 2; used.has(name); n++) {
      const suffix = `_${n}`;
      name = base.slice(0, MAX_FUNCTION_NAME_CHARS - suffix.length) + suffix;
    }
    used.add(name);
    byId.set(id, name);
    byName.set(name, id);
  }
  return { byId, byName };
}
