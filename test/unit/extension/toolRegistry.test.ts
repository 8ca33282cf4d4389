import assert from 'node:assert/strict';
import * as path from 'node:path';
import { resolveWorkspacePath } from '../../../src/extension/tools/pathPolicy';
import { callKey, canonicalJson, ToolCallCache } from '../../../src/extension/tools/toolCallCache';
import { DEFAULT_ALLOWED_COMMANDS, editorToolBehavior, toolDeclarations, toolKind, validateToolCall } from '../../../src/extension/tools/toolRegistry';
import { googleSearchTools } from '../../../src/extension/tools/googleSearchTool';

describe('tool registry', () => {
  it('declares the editor functions and the knowledge tools with OBJECT parameters, as the recorded setup does', () => {
    const tools = toolDeclarations(DEFAULT_ALLOWED_COMMANDS, 'gemini-3.8-live') as unknown as Array<{ functionDeclarations: Array<{ name: string; parameters: { type: string; required: string[] } }> }>;
    const names = tools[0]!.functionDeclarations.map((d) => d.name);
    assert.deepEqual(names, [
      'open_file',
      'reveal_line',
      'search_workspace',
      'insert_text',
      'replace_selection',
      'run_command',
      'get_diagnostics',
      'document_symbols',
      'workspace_symbols',
      'find_definition',
      'find_references',
      'hover_info',
      'git_diff',
      'list_tasks',
      'run_task',
      'run_tests',
    ]);
    for (const d of tools[0]!.functionDeclarations.filter((f) => f.parameters !== undefined)) {
      assert.equal(d.parameters.type, 'OBJECT');
      // The service refuses an OBJECT with no properties ("should be non-empty for OBJECT type"):
      // a function without arguments declares no parameters at all.
      assert.ok(Object.keys((d.parameters as unknown as { properties: object }).properties).length > 0, d.name);
    }
    assert.deepEqual(
      tools[0]!.functionDeclarations.filter((f) => f.parameters === undefined).map((f) => f.name),
      ['list_tasks', 'run_tests'],
    );
    assert.equal(toolKind('open_file'), 'read');
    assert.equal(toolKind('insert_text'), 'change');
    // Knowledge is read-only; running a task or the tests runs programs, so it asks first.
    for (const name of ['get_diagnostics', 'find_references', 'git_diff', 'list_tasks'] as const) assert.equal(toolKind(name), 'read', name);
    assert.equal(toolKind('run_task'), 'change');
    assert.equal(toolKind('run_tests'), 'change');
  });

  it('validates the knowledge tools\' arguments: a symbol on a line, optional paths, nothing for list_tasks', () => {
    assert.deepEqual(validateToolCall('find_references', { path: 'src/a.ts', line: '3', symbol: ' parse ' }, []), { name: 'find_references', args: { path: 'src/a.ts', line: 3, symbol: 'parse' } });
    assert.deepEqual(validateToolCall('get_diagnostics', {}, []), { name: 'get_diagnostics', args: {} });
    assert.deepEqual(validateToolCall('list_tasks', { stray: 1 }, []), { name: 'list_tasks', args: {} });
    assert.match((validateToolCall('hover_info', { path: 'a.ts', line: 1 }, []) as { error: string }).error, /hover_info \(symbol\)/);
    assert.match((validateToolCall('run_task', { name: '' }, []) as { error: string }).error, /run_task \(name\).*must not be empty/);
  });

  it('declares the tools NON_BLOCKING where the model runs calls in the background, no behavior where calls always block', () => {
    const behaviors = (model: string) =>
      (toolDeclarations([], model) as unknown as Array<{ functionDeclarations: Array<{ behavior?: string }> }>)[0]!.functionDeclarations.map((d) => d.behavior);
    assert.deepEqual(new Set(behaviors('gemini-3.8-live')), new Set(['NON_BLOCKING']));
    assert.deepEqual(new Set(behaviors('gemini-3.8-live-extended-thinking')), new Set(['NON_BLOCKING']));
    assert.deepEqual(new Set(behaviors('gemini-3.1-flash-live-preview')), new Set([undefined]));
    assert.equal(editorToolBehavior('a-model-nobody-knows'), undefined, 'unknown models get no field they might refuse');
  });

  it('validates arguments and names the bad field for the model', () => {
    assert.deepEqual(validateToolCall('reveal_line', { path: ' a.ts ', line: '12' }, []), { name: 'reveal_line', args: { path: 'a.ts', line: 12 } });
    assert.deepEqual(validateToolCall('search_workspace', { query: 'x' }, []), { name: 'search_workspace', args: { query: 'x', maxResults: 20 } });
    assert.match((validateToolCall('reveal_line', { path: 'a', line: 0 }, []) as { error: string }).error, /\(line\).*at least 1/);
    assert.match((validateToolCall('open_file', {}, []) as { error: string }).error, /open_file \(path\)/);
    assert.match((validateToolCall('delete_everything', {}, []) as { error: string }).error, /Unknown function "delete_everything"/);
    assert.match((validateToolCall(undefined, {}, []) as { error: string }).error, /Unknown function/);
  });

  it('runs only allow-listed commands', () => {
    assert.deepEqual(validateToolCall('run_command', { command: 'workbench.action.files.save' }, DEFAULT_ALLOWED_COMMANDS), { name: 'run_command', args: { command: 'workbench.action.files.save' } });
    assert.match((validateToolCall('run_command', { command: 'workbench.action.terminal.sendSequence' }, DEFAULT_ALLOWED_COMMANDS) as { error: string }).error, /not in the user's allow-list/);
  });
});

describe('tool path policy', () => {
  const roots = [
    { name: 'app', fsPath: '/ws/app' },
    { name: 'lib', fsPath: '/ws/lib' },
  ];
  const p = path.posix;

  it('resolves relative paths in the first folder, or the folder named first', () => {
    assert.deepEqual(resolveWorkspacePath('src/a.ts', roots, p), { ok: true, fsPath: '/ws/app/src/a.ts', root: roots[0], relative: 'src/a.ts' });
    assert.deepEqual(resolveWorkspacePath('lib/b.ts', roots, p), { ok: true, fsPath: '/ws/lib/b.ts', root: roots[1], relative: 'b.ts' });
    assert.equal((resolveWorkspacePath('/ws/lib/x/y.ts', roots, p) as { fsPath: string }).fsPath, '/ws/lib/x/y.ts');
    assert.equal((resolveWorkspacePath('file:///ws/app/z%20z.ts', roots, p) as { fsPath: string }).fsPath, '/ws/app/z z.ts');
  });

  it('refuses anything outside the workspace folders', () => {
    for (const bad of ['../secret', '/etc/passwd', 'src/../../x', '/ws/application/a', 'https://example.com/a', '', 'a\0b']) {
      const d = resolveWorkspacePath(bad, roots, p);
      assert.equal(d.ok, false, bad);
    }
    assert.match((resolveWorkspacePath('a', [], p) as { error: string }).error, /No folder is open/);
  });

  it('works with Windows paths', () => {
    const w = path.win32;
    const d = resolveWorkspacePath('src\\a.ts', [{ name: 'app', fsPath: 'C:\\ws\\app' }], w);
    assert.deepEqual(d.ok && d.fsPath, 'C:\\ws\\app\\src\\a.ts');
    assert.equal(resolveWorkspacePath('D:\\other\\a.ts', [{ name: 'app', fsPath: 'C:\\ws\\app' }], w).ok, false);
  });
});

describe('tool call cache', () => {
  it('keys by turn, name and canonical args', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null } }), '{"a":{"c":null,"d":[2,{"x":0,"y":1}]},"b":1}');
    assert.equal(callKey(3, 'open_file', { a: 1, b: 2 }), callKey(3, 'open_file', { b: 2, a: 1 }));
    assert.notEqual(callKey(3, 'open_file', { a: 1 }), callKey(4, 'open_file', { a: 1 }));
  });

  it('forgets the oldest beyond its bound', () => {
    const cache = new ToolCallCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.size, 2);
  });
});

describe('Google Search tool', () => {
  it('is declared where the setting allows it and the model supports it, never for a model that would refuse it', () => {
    assert.deepEqual(googleSearchTools('gemini-3.8-live', true), [{ googleSearch: {} }]);
    assert.deepEqual(googleSearchTools('models/gemini-2.5-flash-native-audio-latest', true), [{ googleSearch: {} }]);
    assert.deepEqual(googleSearchTools('gemini-3.8-live', false), []);
    assert.deepEqual(googleSearchTools('gemini-3.5-transcribe-live', true), []);
    assert.deepEqual(googleSearchTools('a-model-nobody-knows', true), [], 'unknown models get nothing they might refuse');
  });
});
