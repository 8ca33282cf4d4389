import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assignFunctionNames, isValidFunctionName, sanitizeFunctionName } from '../../../src/extension/tools/lmTools/functionNames';
import { buildLmCatalog, MAX_FUNCTION_DECLARATIONS } from '../../../src/extension/tools/lmTools/lmToolCatalog';
import { isOffered, needsConsent, resultScheduling, withAlwaysAllowed, type LmToolInfo, type LmToolPolicy } from '../../../src/extension/tools/lmTools/lmToolPolicy';
import { LIVE_SCHEMA_FIELDS, toLiveSchema, type LiveSchema } from '../../../src/extension/tools/lmTools/liveSchema';
import { toolResultText } from '../../../src/extension/tools/lmTools/toolResultText';
import { declarationProblem, MAX_FUNCTION_DECLARATIONS as EMULATOR_MAX_DECLARATIONS } from '../../../src/emulator/declarationSchema';

/** Every key of every nested schema is one the service knows. */
function assertOnlyLiveFields(schema: LiveSchema | undefined, path = ''): void {
  if (!schema) return;
  for (const key of Object.keys(schema)) assert.ok(LIVE_SCHEMA_FIELDS.has(key), `${path}: ${key} is not a Live API Schema field`);
  if (schema.type) assert.match(schema.type, /^(STRING|NUMBER|INTEGER|BOOLEAN|ARRAY|OBJECT)$/);
  for (const [k, child] of Object.entries(schema.properties ?? {})) assertOnlyLiveFields(child, `${path}/${k}`);
  if (schema.items) assertOnlyLiveFields(schema.items, `${path}/items`);
  for (const [i, alt] of (schema.anyOf ?? []).entries()) assertOnlyLiveFields(alt, `${path}/anyOf/${i}`);
}

const tool = (name: string, tags: string[] = [], inputSchema: object | undefined = undefined, description = `The ${name} tool`): LmToolInfo => ({ name, description, inputSchema, tags });

describe('language-model tools: JSON Schema → the Live API schema subset', () => {
  it('converts an MCP-style input schema: types upper-cased, JSON Schema keywords the service refuses dropped and reported', () => {
    const { schema, dropped } = toLiveSchema({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      properties: {
        message: { type: 'string', description: 'Text to echo', minLength: 1 },
        count: { type: 'integer', exclusiveMinimum: 0, format: 'uint32' },
        mode: { type: 'string', enum: ['fast', 'slow'], default: 'fast' },
        tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
      },
      required: ['message', 'ghost'],
    });
    assert.deepEqual(schema, {
      type: 'OBJECT',
      properties: {
        message: { type: 'STRING', description: 'Text to echo', minLength: 1 },
        count: { type: 'INTEGER', minimum: 0 },
        mode: { type: 'STRING', enum: ['fast', 'slow'], default: 'fast' },
        tags: { type: 'ARRAY', items: { type: 'STRING' } },
      },
      required: ['message'],
    });
    assert.deepEqual(new Set(dropped), new Set(['/: $schema', '/: additionalProperties', '/count: format uint32', '/tags: uniqueItems']));
  });

  it('rewrites nullable unions, oneOf, const, non-text enums, tuples and local $refs', () => {
    const { schema } = toLiveSchema({
      type: 'object',
      $defs: { Point: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x'] } },
      properties: {
        maybe: { type: ['string', 'null'] },
        either: { type: ['string', 'number'] },
        choice: { oneOf: [{ type: 'string' }, { type: 'boolean' }] },
        fixed: { const: 'yes' },
        level: { type: 'integer', enum: [1, 2, 3], description: 'Level' },
        pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }] },
        at: { $ref: '#/$defs/Point' },
        merged: { allOf: [{ properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'boolean' } } }] },
      },
    });
    const p = schema!.properties!;
    assert.deepEqual(p['maybe'], { type: 'STRING', nullable: true });
    assert.deepEqual(p['either'], { anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }] });
    assert.deepEqual(p['choice'], { anyOf: [{ type: 'STRING' }, { type: 'BOOLEAN' }] });
    assert.deepEqual(p['fixed'], { enum: ['yes'] });
    assert.deepEqual(p['level'], { type: 'INTEGER', description: 'Level (one of: 1, 2, 3)' });
    assert.deepEqual(p['pair'], { type: 'ARRAY', items: { type: 'STRING' } });
    assert.deepEqual(p['at'], { type: 'OBJECT', properties: { x: { type: 'NUMBER' }, y: { type: 'NUMBER' } }, required: ['x'] });
    assert.deepEqual(p['merged'], { type: 'OBJECT', properties: { a: { type: 'STRING' }, b: { type: 'BOOLEAN' } }, required: ['a'] });
  });

  it('stops a recursive $ref at a bounded depth instead of looping', () => {
    const { schema, dropped } = toLiveSchema({
      type: 'object',
      definitions: { Node: { type: 'object', properties: { value: { type: 'string' }, next: { $ref: '#/definitions/Node' } } } },
      properties: { head: { $ref: '#/definitions/Node' } },
    });
    let depth = 0;
    for (let n: LiveSchema | undefined = schema!.properties!['head']; n; n = n.properties?.['next']) depth++;
    assert.ok(depth > 1 && depth <= 10, `depth ${depth}`);
    assert.ok(dropped.some((d) => /too deep or recursive/.test(d)));
  });

  it('treats a schema without properties as "no arguments"', () => {
    assert.equal(toLiveSchema(undefined).schema, undefined);
    assert.equal(toLiveSchema({ type: 'object', properties: {} }).schema, undefined);
    assert.equal(toLiveSchema({ type: 'object' }).schema, undefined);
  });

  it('produces only fields the service knows, whatever JSON Schema comes in', () => {
    const keyword = fc.constantFrom('type', 'properties', 'items', 'required', 'enum', 'const', 'oneOf', 'anyOf', 'allOf', 'additionalProperties', 'format', 'minimum', 'examples', 'not', '$ref', 'title', 'x-extra');
    const jsonSchema = fc.letrec((tie) => ({
      node: fc.dictionary(keyword, fc.oneof(fc.constantFrom('string', 'object', 'array', 'null', 'integer', ['string', 'null'], '#/$defs/A', 'int64'), fc.array(fc.string(), { maxLength: 2 }), tie('props'), tie('node')), { maxKeys: 5 }),
      props: fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), tie('node'), { maxKeys: 3 }),
    }));
    fc.assert(
      fc.property(jsonSchema.node, (s) => {
        const { schema } = toLiveSchema({ type: 'object', properties: { p: s } });
        assertOnlyLiveFields(schema);
        // …and the emulator, which refuses what the service refuses, takes it.
        assert.equal(declarationProblem({ name: 'f', description: 'd', ...(schema ? { parameters: schema } : {}) }, 'd'), undefined);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the emulator on the number of declarations the service takes', () => {
    assert.equal(MAX_FUNCTION_DECLARATIONS, EMULATOR_MAX_DECLARATIONS);
  });
});

describe('language-model tools: function names', () => {
  it('keeps valid names and makes the others valid', () => {
    assert.equal(sanitizeFunctionName('mcp_everything_echo'), 'mcp_everything_echo');
    assert.equal(sanitizeFunctionName('my tool/with spaces'), 'my_tool_with_spaces');
    assert.equal(sanitizeFunctionName('9lives'), '_9lives');
    assert.equal(sanitizeFunctionName('x'.repeat(100)).length, 64);
  });

  it('makes names unique, never equal to a taken one, stable in order, and reversible', () => {
    const map = assignFunctionNames(['a b', 'a_b', 'open_file', 'ok'], ['open_file']);
    assert.equal(map.byId.get('a b'), 'a_b');
    assert.equal(map.byId.get('a_b'), 'a_b_2');
    assert.equal(map.byId.get('open_file'), 'open_file_2');
    assert.equal(map.byId.get('ok'), 'ok');
    assert.deepEqual(assignFunctionNames(['ok', 'a_b', 'open_file', 'a b'], ['open_file']).byId, map.byId, 'the order of the registry does not move names');
  });

  it('gives any set of ids valid, distinct names that map back to their ids', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 80 }), { maxLength: 30 }), fc.array(fc.constantFrom<string>('open_file', 'run_command', 'a', '_'), { maxLength: 3 }), (ids, taken) => {
        const { byId, byName } = assignFunctionNames(ids, taken);
        const names = [...byId.values()];
        assert.equal(new Set(names).size, names.length);
        for (const [id, name] of byId) {
          assert.ok(isValidFunctionName(name), name);
          assert.ok(!taken.includes(name));
          assert.equal(byName.get(name), id);
        }
        assert.equal(byId.size, new Set(ids).size);
      }),
      { numRuns: 300 },
    );
  });
});

describe('language-model tools: which are offered, which ask', () => {
  const readOnly = tool('getWeather', ['read-only']);
  const changes = tool('mcp_everything_echo', ['mcp']);
  const policy = (p: Partial<LmToolPolicy>): LmToolPolicy => ({ selection: 'readOnlyAndAllowed', allowed: [], confirmReadOnly: false, ...p });

  it('offers read-only tools and the allow-list by default; all, the list only, or none on request', () => {
    assert.equal(isOffered(readOnly, policy({})), true);
    assert.equal(isOffered(changes, policy({})), false);
    assert.equal(isOffered(changes, policy({ allowed: ['mcp_everything_echo'] })), true);
    assert.equal(isOffered(changes, policy({ selection: 'all' })), true);
    assert.equal(isOffered(readOnly, policy({ selection: 'allowList' })), false);
    assert.equal(isOffered(changes, policy({ selection: 'allowList', allowed: ['mcp_everything_echo'] })), true);
    assert.equal(isOffered(readOnly, policy({ selection: 'none', allowed: ['getWeather'] })), false);
    assert.equal(isOffered(tool('vscode_editFile_internal', ['read-only']), policy({ selection: 'all' })), false, "VS Code's chat internals never");
  });

  it('asks before every tool that may change something, unless the user said "Always allow"', () => {
    assert.equal(needsConsent(changes, policy({ selection: 'all' })), true);
    assert.equal(needsConsent(readOnly, policy({})), false);
    assert.equal(needsConsent(readOnly, policy({ confirmReadOnly: true })), true);
    const allowed = withAlwaysAllowed([], 'mcp_everything_echo');
    assert.deepEqual(withAlwaysAllowed(allowed, 'mcp_everything_echo'), ['mcp_everything_echo'], 'no duplicates');
    assert.equal(needsConsent(changes, policy({ selection: 'all', allowed })), false);
    for (const tag of ['readonly', 'READ_ONLY', 'read only']) assert.equal(needsConsent(tool('t', [tag]), policy({})), false, tag);
  });

  it('schedules a result the user waits for WHEN_IDLE, a background tool SILENT', () => {
    assert.equal(resultScheduling(changes), 'WHEN_IDLE');
    assert.equal(resultScheduling(tool('indexer', ['background'])), 'SILENT');
  });
});

describe('language-model tools: the catalog', () => {
  const all: LmToolPolicy = { selection: 'all', allowed: ['echo'], confirmReadOnly: false };

  it('declares each offered tool once, NON_BLOCKING where asked, and maps the name back', () => {
    const catalog = buildLmCatalog([tool('echo', ['mcp'], { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] }), tool('open_file', ['read-only'])], {
      policy: all,
      taken: ['open_file'],
      behavior: 'NON_BLOCKING',
    });
    assert.deepEqual(catalog.declarations, [
      { name: 'echo', description: 'The echo tool', parameters: { type: 'OBJECT', properties: { message: { type: 'STRING' } }, required: ['message'] }, behavior: 'NON_BLOCKING' },
      { name: 'open_file_2', description: 'The open_file tool', behavior: 'NON_BLOCKING' },
    ]);
    assert.equal(catalog.entries.get('open_file_2')!.tool.name, 'open_file');
  });

  it('keeps no consent decision from the setup: a read-only tool asks once confirmReadOnly is turned on mid-session', () => {
    const catalog = buildLmCatalog([tool('echo', ['mcp']), tool('open_file', ['read-only'])], { policy: all, taken: ['open_file'], behavior: undefined });
    const entry = catalog.entries.get('open_file_2')!;
    assert.equal('needsConsent' in entry, false, 'decided per call, with the settings then');
    assert.equal(needsConsent(entry.tool, { allowed: [], confirmReadOnly: false }), false, 'read-only');
    assert.equal(needsConsent(entry.tool, { allowed: [], confirmReadOnly: true }), true, 'after the user turned confirmReadOnly on');
    assert.equal(needsConsent(catalog.entries.get('echo')!.tool, { allowed: ['echo'], confirmReadOnly: true }), false, 'allow-listed');
  });

  it(`stays within the service's ${MAX_FUNCTION_DECLARATIONS} declarations, counting the editor tools, and says what was left out`, () => {
    const tools = Array.from({ length: 80 }, (_, i) => tool(`t${String(i).padStart(2, '0')}`));
    const catalog = buildLmCatalog(tools, { policy: all, taken: ['a', 'b', 'c', 'd'], behavior: undefined });
    assert.equal(catalog.declarations.length, MAX_FUNCTION_DECLARATIONS - 4);
    assert.equal(catalog.declarations[0]!.behavior, undefined);
    assert.equal(catalog.notes.filter((n) => /left out/.test(n)).length, 80 - 60);
  });
});

describe('language-model tools: results as bounded text', () => {
  it('joins text parts, writes structured parts as JSON and names binary data', () => {
    const parts = [{ value: 'Echo: hi' }, { value: { nested: [1, 2] } }, { mimeType: 'image/png', data: new Uint8Array(10) }, { mimeType: 'application/json', data: new TextEncoder().encode('{"a":1}') }, 42];
    assert.equal(toolResultText(parts), 'Echo: hi\n{"nested":[1,2]}\n[image/png data, 10 bytes, not shown]\n{"a":1}');
  });

  it('caps a long result and says how much was left out', () => {
    const text = toolResultText([{ value: 'x'.repeat(50_000) }], 1_000);
    assert.equal(text.length, 1_000);
    assert.match(text, /49\d{3} more characters left out\)$/);
  });
});
