/**
 * Converts a tool's JSON Schema (what `vscode.lm.tools` and MCP servers give) into the
 * subset of OpenAPI 3.0 the Live API takes in `functionDeclarations[].parameters`. Pure.
 *
 * The target is generativelanguage v1beta `Schema` (ai.google.dev/api/caching#Schema; the
 * fields are the ones @google/genai's `Schema` type lists): type, format, title, description,
 * nullable, enum, items, minItems, maxItems, properties, required, minProperties,
 * maxProperties, minLength, maxLength, pattern, minimum, maximum, anyOf, propertyOrdering,
 * default, example. Any other field makes the request invalid (proto JSON "Unknown name …
 * Cannot find field", close 1007), so everything else is dropped or rewritten:
 *
 * | JSON Schema                              | Sent as                                                   |
 * |------------------------------------------|-----------------------------------------------------------|
 * | `type: "string"` (any case)              | `type: "STRING"` (likewise NUMBER, INTEGER, BOOLEAN, ARRAY, OBJECT) |
 * | `type: ["string", "null"]`               | `type: "STRING", nullable: true`                          |
 * | `type: ["string", "number"]`             | `anyOf: [{type: STRING}, {type: NUMBER}]`                 |
 * | `type: "null"` alone                     | dropped (`nullable: true` on no type)                     |
 * | `oneOf`                                  | `anyOf` (the model cannot tell "exactly one" apart)       |
 * | `allOf` with one entry                   | merged into the schema                                    |
 * | `allOf` with several                     | the entries' properties merged; other keywords dropped    |
 * | `$ref` to `#/$defs/…` / `#/definitions/…`| inlined (a recursive one, past depth 8, becomes a bare OBJECT) |
 * | `const: "x"`                             | `enum: ["x"]`; a non-text const goes into the description |
 * | `enum` with non-text values              | `enum` of their JSON text only for STRING; else into the description |
 * | `examples: [a, …]`                       | `example: a`                                              |
 * | `format` other than float/double, int32/int64, enum/date-time | dropped (the service refused others)  |
 * | `exclusiveMinimum` / `exclusiveMaximum` (numbers) | `minimum` / `maximum` (close enough for a model)  |
 * | `required` naming a missing property     | that name removed                                         |
 * | `items: [a, b]` (tuple)                  | `items: a`                                                |
 * | `additionalProperties`, `patternProperties`, `$schema`, `$id`, `$comment`, `multipleOf`, `uniqueItems`, `not`, `if`/`then`/`else`, `dependentRequired`, `contains`, `readOnly`, `writeOnly`, `deprecated`, `contentEncoding`, `contentMediaType`, any `x-…` | dropped |
 *
 * Every dropped keyword is reported by path, so the log can say what the model will not see.
 */

export type LiveType = 'STRING' | 'NUMBER' | 'INTEGER' | 'BOOLEAN' | 'ARRAY' | 'OBJECT';

/** The Live API's schema (generativelanguage v1beta `Schema`), as this module produces it. */
export interface LiveSchema {
  type?: LiveType;
  format?: string;
  title?: string;
  description?: string;
  nullable?: boolean;
  enum?: string[];
  items?: LiveSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, LiveSchema>;
  required?: string[];
  minProperties?: number;
  maxProperties?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  anyOf?: LiveSchema[];
  propertyOrdering?: string[];
  default?: unknown;
  example?: unknown;
}

/** The fields of the Live API's `Schema`; anything else is refused by the service. */
export const LIVE_SCHEMA_FIELDS: ReadonlySet<string> = new Set([
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'items', 'minItems', 'maxItems', 'properties', 'required',
  'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'anyOf', 'propertyOrdering',
  'default', 'example',
]);

export interface ConvertedSchema {
  /** Undefined when the tool takes no arguments. */
  schema: LiveSchema | undefined;
  /** What the model will not see, as `path: keyword` (for the log). */
  dropped: string[];
}

const TYPES: Record<string, LiveType> = { string: 'STRING', number: 'NUMBER', integer: 'INTEGER', boolean: 'BOOLEAN', array: 'ARRAY', object: 'OBJECT' };
const FORMATS: Partial<Record<LiveType, ReadonlySet<string>>> = {
  NUMBER: new Set(['float', 'double']),
  INTEGER: new Set(['int32', 'int64']),
  STRING: new Set(['enum', 'date-time']),
};
const COPIED_NUMBERS = ['minItems', 'maxItems', 'minProperties', 'maxProperties', 'minLength', 'maxLength', 'minimum', 'maximum'] as const;
/** Keywords read by the converter itself (never reported as dropped). */
const HANDLED = new Set([
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'const', 'items', 'properties', 'required', 'pattern', 'anyOf', 'oneOf', 'allOf',
  '$ref', '$defs', 'definitions', 'examples', 'example', 'default', 'propertyOrdering', 'exclusiveMinimum', 'exclusiveMaximum', ...COPIED_NUMBERS,
]);
const MAX_REF_DEPTH = 8;
const MAX_DESCRIPTION_CHARS = 1_000;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Converts a tool's input schema; a missing or empty object schema means "no arguments". */
export function toLiveSchema(input: unknown): ConvertedSchema {
  const dropped: string[] = [];
  if (!isObject(input)) return { schema: undefined, dropped };
  const converter = new Converter(input, dropped);
  const schema = converter.convert(input, '', 0);
  // The root of a function's parameters is always an object (the service calls with named args).
  if (schema.type !== 'OBJECT' || !schema.properties || Object.keys(schema.properties).length === 0) {
    if (schema.type && schema.type !== 'OBJECT') dropped.push(`: root type ${schema.type} (parameters must be an object)`);
    return { schema: undefined, dropped };
  }
  return { schema, dropped };
}

class Converter {
  constructor(
    private readonly root: Json,
    private readonly dropped: string[],
  ) {}

  convert(node: Json, path: string, depth: number): LiveSchema {
    const resolved = this.resolve(node, path, depth);
    if (!resolved) return { type: 'OBJECT' };
    const { schema: s, depth: d } = resolved;
    const out: LiveSchema = {};
    for (const key of Object.keys(s)) if (!HANDLED.has(key)) this.dropped.push(`${path || '/'}: ${key}`);

    this.convertType(s, out, path, d);
    if (typeof s['title'] === 'string') out.title = s['title'];
    if (typeof s['description'] === 'string') out.description = s['description'].slice(0, MAX_DESCRIPTION_CHARS);
    if (s['nullable'] === true) out.nullable = true;
    if (typeof s['pattern'] === 'string') out.pattern = s['pattern'];
    for (const k of COPIED_NUMBERS) if (typeof s[k] === 'number' && Number.isFinite(s[k])) out[k] = s[k];
    if (typeof s['exclusiveMinimum'] === 'number' && out.minimum === undefined) out.minimum = s['exclusiveMinimum'];
    if (typeof s['exclusiveMaximum'] === 'number' && out.maximum === undefined) out.maximum = s['exclusiveMaximum'];
    if (s['default'] !== undefined) out.default = s['default'];
    if (s['example'] !== undefined) out.example = s['example'];
    else if (Array.isArray(s['examples']) && s['examples'].length > 0) out.example = s['examples'][0];
    this.convertEnum(s, out, path);

    const format = typeof s['format'] === 'string' ? s['format'] : undefined;
    if (format !== undefined) {
      if (out.type && FORMATS[out.type]?.has(format)) out.format = format;
      else this.dropped.push(`${path || '/'}: format ${format}`);
    }
    if (out.type === 'ARRAY' || (!out.type && s['items'] !== undefined)) {
      const items = Array.isArray(s['items']) ? s['items'][0] : s['items'];
      if (Array.isArray(s['items'])) this.dropped.push(`${path}/items: tuple (only the first entry kept)`);
      if (isObject(items)) out.items = this.convert(items, `${path}/items`, d + 1);
      else if (out.type === 'ARRAY') out.items = { type: 'STRING' };
    }
    this.convertObject(s, out, path, d);
    const alternatives = [...(Array.isArray(s['anyOf']) ? s['anyOf'] : []), ...(Array.isArray(s['oneOf']) ? s['oneOf'] : [])].filter(isObject);
    if (alternatives.length > 0) {
      const converted = alternatives.filter((a) => !(a['type'] === 'null')).map((a, i) => this.convert(a, `${path}/anyOf/${i}`, d + 1));
      if (alternatives.some((a) => a['type'] === 'null')) out.nullable = true;
      if (converted.length === 1 && !out.type) Object.assign(out, converted[0], out.description ? { description: out.description } : {});
      else if (converted.length > 1) out.anyOf = converted;
    }
    return out;
  }

  /** Follows `$ref` (local only) and merges `allOf`; undefined for a reference too deep to follow. */
  private resolve(node: Json, path: string, depth: number): { schema: Json; depth: number } | undefined {
    let s = node;
    let d = depth;
    while (typeof s['$ref'] === 'string') {
      if (d >= MAX_REF_DEPTH) {
        this.dropped.push(`${path || '/'}: $ref ${s['$ref']} (too deep or recursive)`);
        return undefined;
      }
      const target = this.lookup(s['$ref']);
      if (!target) {
        this.dropped.push(`${path || '/'}: $ref ${s['$ref']} (not found)`);
        return undefined;
      }
      const { $ref: _ref, ...rest } = s;
      s = { ...target, ...rest };
      d++;
    }
    if (Array.isArray(s['allOf'])) {
      const parts = s['allOf'].filter(isObject).map((p) => this.resolve(p, `${path}/allOf`, d + 1)?.schema ?? {});
      const { allOf: _all, ...rest } = s;
      const merged: Json = { ...rest };
      const properties: Json = { ...(isObject(rest['properties']) ? rest['properties'] : {}) };
      const required = new Set<string>(Array.isArray(rest['required']) ? rest['required'].filter((r): r is string => typeof r === 'string') : []);
      for (const part of parts) {
        for (const [k, val] of Object.entries(part)) if (k !== 'properties' && k !== 'required' && merged[k] === undefined) merged[k] = val;
        if (isObject(part['properties'])) Object.assign(properties, part['properties']);
        if (Array.isArray(part['required'])) for (const r of part['required']) if (typeof r === 'string') required.add(r);
      }
      if (Object.keys(properties).length > 0) merged['properties'] = properties;
      if (required.size > 0) merged['required'] = [...required];
      s = merged;
    }
    return { schema: s, depth: d };
  }

  private lookup(ref: string): Json | undefined {
    const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
    if (!m) return ref === '#' ? this.root : undefined;
    const defs = this.root[m[1]!];
    const name = m[2]!.replace(/~1/g, '/').replace(/~0/g, '~');
    return isObject(defs) && isObject(defs[name]) ? defs[name] : undefined;
  }

  private convertType(s: Json, out: LiveSchema, path: string, depth: number): void {
    const raw = s['type'];
    const names = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((t): t is string => typeof t === 'string').map((t) => t.toLowerCase());
    if (names.includes('null')) out.nullable = true;
    const types = [...new Set(names.filter((t) => t !== 'null'))];
    const unknown = types.filter((t) => !TYPES[t]);
    for (const t of unknown) this.dropped.push(`${path || '/'}: type ${t}`);
    const known = types.filter((t) => TYPES[t]).map((t) => TYPES[t]!);
    if (known.length === 1) out.type = known[0];
    else if (known.length > 1) out.anyOf = known.map((type) => (type === 'ARRAY' ? { type, items: this.itemsOf(s, path, depth) } : { type }));
    else if (types.length === 0 && isObject(s['properties'])) out.type = 'OBJECT';
  }

  private itemsOf(s: Json, path: string, depth: number): LiveSchema {
    return isObject(s['items']) ? this.convert(s['items'], `${path}/items`, depth + 1) : { type: 'STRING' };
  }

  private convertEnum(s: Json, out: LiveSchema, path: string): void {
    const values = Array.isArray(s['enum']) ? s['enum'] : s['const'] !== undefined ? [s['const']] : undefined;
    if (!values) return;
    if (values.every((x) => typeof x === 'string')) {
      out.enum = values as string[];
      return;
    }
    // The service takes enum values as text only; a model still reads them from the description.
    const list = values.map((x) => JSON.stringify(x)).join(', ');
    out.description = `${out.description ? `${out.description} ` : ''}(one of: ${list})`.slice(0, MAX_DESCRIPTION_CHARS);
    this.dropped.push(`${path || '/'}: non-text enum (moved into the description)`);
  }

  private convertObject(s: Json, out: LiveSchema, path: string, depth: number): void {
    if (!isObject(s['properties'])) return;
    const properties: Record<string, LiveSchema> = {};
    for (const [name, child] of Object.entries(s['properties'])) {
      if (isObject(child)) properties[name] = this.convert(child, `${path}/${name}`, depth + 1);
      else if (child === true) properties[name] = { type: 'STRING' };
    }
    if (!out.type && !out.anyOf) out.type = 'OBJECT';
    out.properties = properties;
    const required = Array.isArray(s['required']) ? s['required'].filter((r): r is string => typeof r === 'string' && Object.hasOwn(properties, r)) : [];
    if (required.length > 0) out.required = required;
    if (Array.isArray(s['propertyOrdering'])) out.propertyOrdering = s['propertyOrdering'].filter((p): p is string => typeof p === 'string' && Object.hasOwn(properties, p));
  }
}
