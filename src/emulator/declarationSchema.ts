/**
 * What the service accepts as a function declaration's `parameters`: generativelanguage v1beta
 * `Schema`, a subset of OpenAPI 3.0. The request is proto JSON, so a field the message does not
 * have is refused ("Invalid JSON payload received. Unknown name … Cannot find field.") and so is
 * a `type` outside the `Type` enum; either closes the socket with 1007 (LIVE-PROTOCOL.md: an
 * invalid declaration makes the setup invalid). JSON Schema keywords such as
 * `additionalProperties`, `$schema`, `$ref`, `oneOf` or `const` are therefore refused here,
 * as the service refuses them. Enum names are taken in any case, as the REST examples in the
 * function-calling guide write them lower-case.
 *
 * Sources: the `Schema` reference (ai.google.dev/api/caching#Schema) and @google/genai's
 * `Schema` type, which list these fields; Vertex AI's `Tool.functionDeclarations`
 * ("Maximum 64 function declarations can be provided") for the count.
 */

/** The fields of `Schema`. */
const SCHEMA_FIELDS: ReadonlySet<string> = new Set([
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'items', 'minItems', 'maxItems', 'properties', 'required',
  'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'anyOf', 'propertyOrdering',
  'default', 'example',
]);
const TYPES: ReadonlySet<string> = new Set(['TYPE_UNSPECIFIED', 'STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL']);
/** FunctionDeclaration's own fields. */
const DECLARATION_FIELDS: ReadonlySet<string> = new Set(['name', 'description', 'parameters', 'parametersJsonSchema', 'response', 'responseJsonSchema', 'behavior']);

export const MAX_FUNCTION_DECLARATIONS = 64;
/** Nesting the emulator follows before it calls a schema too deep (the service has a limit too). */
const MAX_DEPTH = 32;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Undefined when `decl` (one of `functionDeclarations`, at `at`) is acceptable, else the reason for the close. */
export function declarationProblem(decl: Record<string, unknown>, at: string): string | undefined {
  for (const key of Object.keys(decl)) if (!DECLARATION_FIELDS.has(key)) return `Unknown name "${key}" at '${at}': Cannot find field.`;
  if (decl['description'] !== undefined && typeof decl['description'] !== 'string') return `Invalid value at '${at}.description': not text.`;
  if (decl['parameters'] !== undefined && decl['parametersJsonSchema'] !== undefined) return `'${at}': parameters and parametersJsonSchema are mutually exclusive.`;
  return decl['parameters'] === undefined ? undefined : schemaProblem(decl['parameters'], `${at}.parameters`, 0);
}

function schemaProblem(schema: unknown, at: string, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return `'${at}': schema nested too deeply.`;
  if (!isObject(schema)) return `Invalid value at '${at}': a Schema object is expected.`;
  for (const key of Object.keys(schema)) if (!SCHEMA_FIELDS.has(key)) return `Unknown name "${key}" at '${at}': Cannot find field.`;
  const type = schema['type'];
  if (type !== undefined && (typeof type !== 'string' || !TYPES.has(type.toUpperCase()))) return `Invalid value at '${at}.type' (Type), ${JSON.stringify(type)}`;
  if (schema['enum'] !== undefined && (!Array.isArray(schema['enum']) || !schema['enum'].every((e) => typeof e === 'string'))) return `Invalid value at '${at}.enum': text values expected.`;
  for (const key of ['required', 'propertyOrdering'] as const) {
    const list = schema[key];
    if (list !== undefined && (!Array.isArray(list) || !list.every((e) => typeof e === 'string'))) return `Invalid value at '${at}.${key}': a list of names expected.`;
  }
  if (schema['properties'] !== undefined) {
    if (!isObject(schema['properties'])) return `Invalid value at '${at}.properties': a map of Schemas expected.`;
    for (const [name, child] of Object.entries(schema['properties'])) {
      const problem = schemaProblem(child, `${at}.properties[${name}]`, depth + 1);
      if (problem) return problem;
    }
  }
  if (schema['items'] !== undefined) {
    const problem = schemaProblem(schema['items'], `${at}.items`, depth + 1);
    if (problem) return problem;
  }
  if (schema['anyOf'] !== undefined) {
    if (!Array.isArray(schema['anyOf'])) return `Invalid value at '${at}.anyOf': a list of Schemas expected.`;
    for (const [i, alt] of schema['anyOf'].entries()) {
      const problem = schemaProblem(alt, `${at}.anyOf[${i}]`, depth + 1);
      if (problem) return problem;
    }
  }
  return undefined;
}
