import assert from 'node:assert/strict';
import {
  clipText,
  formatGitDiff,
  formatLocations,
  formatProblems,
  formatRunOutcome,
  formatSymbols,
  formatTasks,
  hoverText,
  MAX_COMMAND_LINE_CHARS,
  newProblems,
  pickTask,
  pickTestTask,
  symbolColumn,
  taskCommandLine,
  symbolKindName,
  workspaceRelativePath,
  type ProblemInput,
} from '../../../src/extension/tools/knowledge/knowledgeFormat';

const problem = (over: Partial<ProblemInput> = {}): ProblemInput => ({ path: 'src/a.ts', severity: 0, line: 2, character: 6, message: "Type 'string' is not assignable to type 'number'.", source: 'ts', code: 2322, ...over });

describe('knowledge tool results', () => {
  describe('paths', () => {
    it('are relative to the single folder, named by folder in a multi-root workspace', () => {
      assert.equal(workspaceRelativePath('/home/me/proj/src/a.ts', [{ name: 'proj', path: '/home/me/proj' }]), 'src/a.ts');
      const roots = [
        { name: 'api', path: '/w/api' },
        { name: 'web', path: '/w/web/' },
      ];
      assert.equal(workspaceRelativePath('/w/web/main.ts', roots), 'web/main.ts');
      assert.equal(workspaceRelativePath('/w/api', roots), 'api');
    });

    it('never give an absolute path outside the workspace, only the file name', () => {
      assert.equal(workspaceRelativePath('/usr/lib/node_modules/typescript/lib/lib.es5.d.ts', [{ name: 'p', path: '/home/me/p' }]), '<outside the workspace>/lib.es5.d.ts');
      // A sibling folder that shares the prefix is outside too.
      assert.equal(workspaceRelativePath('/home/me/p2/x.ts', [{ name: 'p', path: '/home/me/p' }]), '<outside the workspace>/x.ts');
    });

    it('keep remote folders apart by scheme and authority, and compare Windows drives without case', () => {
      const roots = [{ name: 'r', path: 'vscode-remote://ssh-remote+box/home/me/r' }];
      assert.equal(workspaceRelativePath('vscode-remote://ssh-remote+box/home/me/r/src/x.ts', roots), 'src/x.ts');
      assert.equal(workspaceRelativePath('file:///home/me/r/src/x.ts', roots), '<outside the workspace>/x.ts');
      assert.equal(workspaceRelativePath('file:///C:/Proj/src/x.ts', [{ name: 'proj', path: 'file:///c:/proj' }]), 'src/x.ts');
    });
  });

  describe('problems', () => {
    it('count by severity, put errors first, and give 1-based lines and columns', () => {
      const result = formatProblems([problem({ severity: 1, path: 'a.ts', line: 0, message: 'unused' }), problem()]);
      assert.deepEqual(result.counts, { error: 1, warning: 1, information: 0, hint: 0 });
      assert.deepEqual(result.problems[0], { path: 'src/a.ts', line: 3, column: 7, severity: 'error', message: "Type 'string' is not assignable to type 'number'.", source: 'ts', code: 2322 });
      assert.equal(result.problems[1]!.severity, 'warning');
      assert.equal(result.note, undefined);
    });

    it('are bounded and say how many were left out', () => {
      const many = Array.from({ length: 130 }, (_, i) => problem({ line: i }));
      const result = formatProblems(many);
      assert.equal(result.problems.length, 50);
      assert.equal(result.counts.error, 130, 'the counts cover every problem');
      assert.equal(result.omitted, 80);
      assert.match(result.note!, /^80 more problems not shown; ask for one file/);
    });

    it('that a run produced are the new ones: a problem already there is not counted, a second copy is', () => {
      const old = problem({ line: 1 });
      const before = [old];
      const after = [old, problem({ line: 9, message: 'new' }), problem({ line: 1 })];
      assert.deepEqual(
        newProblems(before, after).map((p) => [p.line, p.message]),
        [
          [9, 'new'],
          [1, old.message],
        ],
      );
    });

    it('of a run are reported with the outcome', () => {
      const failed = formatRunOutcome({ task: 'shell: build', exitCode: 2, durationMs: 1_234, timedOut: false, produced: [problem()] });
      assert.equal(failed.outcome, 'failed');
      assert.equal(failed.exitCode, 2);
      assert.equal(failed.seconds, 1.2);
      assert.deepEqual(failed.newProblems, { error: 1, warning: 0, information: 0, hint: 0 });
      assert.equal(failed.problems[0]!.line, 3);
      const running = formatRunOutcome({ task: 't', exitCode: undefined, durationMs: 300_000, timedOut: true, produced: [] });
      assert.equal(running.outcome, 'still running');
      assert.match(running.note!, /still running after 5 minutes; it was not stopped/);
      assert.equal(running.exitCode, undefined, 'no exit code is made up for a task that has not ended');
      assert.equal(formatRunOutcome({ task: 't', exitCode: 0, durationMs: 10, timedOut: false, produced: [] }).outcome, 'succeeded');
    });
  });

  describe('the command a task runs, for the question before it', () => {
    it('shows a shell command line, a command with its arguments, or a process with its arguments', () => {
      assert.equal(taskCommandLine({ commandLine: 'npm test -- --grep x' }), 'npm test -- --grep x');
      assert.equal(taskCommandLine({ command: 'npm', args: ['run', 'test'] }), 'npm run test');
      assert.equal(taskCommandLine({ command: { value: 'my tool', quoting: 1 }, args: [{ value: 'a b', quoting: 2 }, 'c'] }), '"my tool" "a b" c');
      assert.equal(taskCommandLine({ process: '/usr/bin/make', args: ['check'] }), '/usr/bin/make check');
    });

    it('says nothing for a custom execution (an extension runs it) and cuts a huge command', () => {
      assert.equal(taskCommandLine({}), undefined);
      assert.equal(taskCommandLine(undefined), undefined);
      const huge = taskCommandLine({ commandLine: 'x'.repeat(MAX_COMMAND_LINE_CHARS + 50) })!;
      assert.equal(huge.length, MAX_COMMAND_LINE_CHARS + 1);
      assert.ok(huge.endsWith('…'));
    });
  });

  describe('symbols and locations', () => {
    it('name symbol kinds as people say them', () => {
      assert.equal(symbolKindName(4), 'class');
      assert.equal(symbolKindName(11), 'function');
      assert.equal(symbolKindName(21), 'enum member');
      assert.equal(symbolKindName(99), 'symbol');
    });

    it('list symbols with kind and 1-based line, bounded', () => {
      const result = formatSymbols(
        Array.from({ length: 120 }, (_, i) => ({ name: `f${i}`, kind: 11, path: 'a.ts', line: i, container: 'A' })),
        100,
        false,
      );
      assert.deepEqual(result.symbols[0], { name: 'f0', kind: 'function', line: 1, container: 'A' });
      assert.equal(result.symbols.length, 100);
      assert.equal(result.omitted, 20);
      assert.match(result.note!, /20 more symbols/);
    });

    it('sort locations by path and line and show the trimmed line text', () => {
      const result = formatLocations([
        { path: 'b.ts', line: 4, character: 2, lineText: '    parse(x);   ' },
        { path: 'a.ts', line: 9, character: 0 },
      ]);
      assert.deepEqual(result.locations, [
        { path: 'a.ts', line: 10, column: 1 },
        { path: 'b.ts', line: 5, column: 3, text: 'parse(x);' },
      ]);
      assert.equal(result.total, 2);
    });

    it('find a symbol on its line as a whole word', () => {
      assert.equal(symbolColumn('const parser = parse(args);', 'parse'), 15);
      assert.equal(symbolColumn('const parser = parse(args);', 'parse', 2), undefined);
      assert.equal(symbolColumn('a.$el = $el', '$el'), 2);
      assert.equal(symbolColumn('reparse()', 'parse'), undefined);
    });
  });

  it('hover text drops code fences and is bounded', () => {
    assert.deepEqual(hoverText(['```typescript\nfunction parse(x: string): number\n```', '', 'Parses a number.']), { text: 'function parse(x: string): number\n\nParses a number.' });
    const long = hoverText(['x'.repeat(5_000)], 4_000);
    assert.equal(long.text.length, 4_000);
    assert.equal(long.omittedChars, 1_000);
  });

  it('clips text at a line end when one is near', () => {
    const text = `${'a'.repeat(90)}\n${'b'.repeat(30)}`;
    assert.deepEqual(clipText(text, 100), { text: 'a'.repeat(90), omittedChars: 31 });
    assert.deepEqual(clipText('short', 100), { text: 'short', omittedChars: 0 });
  });

  describe('git diff', () => {
    it('lists changes by kind and says when the diff was cut', () => {
      const diff = Array.from({ length: 400 }, (_, i) => `+line ${i}`).join('\n');
      const result = formatGitDiff({ repository: '.', branch: 'main', staged: [], unstaged: [{ path: 'src/a.ts', status: 'MODIFIED' }], untracked: [{ path: 'new.ts', status: 'UNTRACKED' }], diff }, 1_000);
      assert.deepEqual(result.unstaged, ['src/a.ts (modified)']);
      assert.deepEqual(result.untracked, ['new.ts']);
      assert.ok(result.diff.length <= 1_000);
      assert.match(result.note!, /The diff was cut: \d+ more characters not shown/);
    });

    it('says a clean tree is clean', () => {
      const result = formatGitDiff({ repository: '.', staged: [], unstaged: [], untracked: [], diff: '' });
      assert.match(result.note!, /working tree is clean/);
    });
  });

  describe('tasks', () => {
    const tasks = [
      { name: 'build', source: 'npm', group: 'build', isDefault: true },
      { name: 'test', source: 'npm', group: 'test' },
      { name: 'build', source: 'shell' },
    ];

    it('are listed by name, and an empty list says so', () => {
      assert.deepEqual(
        formatTasks(tasks).tasks.map((t) => t.name),
        ['build', 'build', 'test'],
      );
      assert.match(formatTasks([]).note!, /defines no tasks/);
    });

    it('are picked by name, and an ambiguous or unknown name is an error listing the tasks', () => {
      assert.equal(pickTask(tasks, 'test'), tasks[1]);
      assert.equal(pickTask(tasks, 'Shell: Build'), tasks[2]);
      assert.match((pickTask(tasks, 'build') as { error: string }).error, /Several tasks are called build: npm: build, shell: build/);
      assert.match((pickTask(tasks, 'deploy') as { error: string }).error, /No task is called deploy\. Tasks: npm: build, npm: test, shell: build/);
    });

    it('the test task is the default of the test group, or its only task', () => {
      assert.equal(pickTestTask(tasks), tasks[1]);
      assert.match((pickTestTask([tasks[0]!]) as { error: string }).error, /no test task/);
      const two = [
        { name: 'unit', source: 'npm', group: 'test' },
        { name: 'e2e', source: 'npm', group: 'test' },
      ];
      assert.match((pickTestTask(two) as { error: string }).error, /Several test tasks/);
    });
  });
});
