/**
 * The editor's knowledge as tools, called through the emulator's scripted calls (`call tool
 * NAME {args}`) against a small TypeScript project with a type error, a git repository with
 * an uncommitted change, and a tasks.json: what the built-in TypeScript and Git extensions and
 * the task system report reaches the model. Read-only tools run without a question; run_task
 * and run_tests ask first.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { EmulatorEvent } from '../../src/emulator/emulatorEvent';
import type { MoonTalkTestApi } from '../../src/extension/testApi';
import { activateExtension, connectRecordingEmulator, endToolSession, modelAnswers, openReadyPanel, type Recording, waitFor } from './support';

const run = promisify(execFile);

describe('the editor\'s knowledge as tools', function () {
  this.timeout(120_000);
  let api: MoonTalkTestApi;
  let events: EmulatorEvent[];
  let recording: Recording<EmulatorEvent> | undefined;
  let folder: vscode.Uri;
  /** The test project, workspace-relative (e.g. `.moontalk-test/kt-123`). */
  let project: string;

  async function write(relative: string, text: string): Promise<vscode.Uri> {
    const uri = vscode.Uri.joinPath(folder, ...relative.split('/'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    return uri;
  }

  const answers = () => modelAnswers(events);

  /** Asks the emulator to call `name` and returns the parsed `{result}` or `{error}` the model got. */
  async function callTool(name: string, args: Record<string, unknown>, onQuestion?: () => void): Promise<{ result?: any; error?: string }> {
    const before = answers().length;
    await api.session.sendText(`call tool ${name} ${JSON.stringify(args)}`);
    const prefix = `Tool ${name} returned `;
    if (onQuestion) {
      await waitFor(`the question for ${name}`, () => api.tools.confirmations().length === 1, 30_000);
      onQuestion();
    }
    await waitFor(`the ${name} result`, () => answers().slice(before).some((a) => a.startsWith(prefix)), 60_000);
    return JSON.parse(answers().slice(before).find((a) => a.startsWith(prefix))!.slice(prefix.length));
  }

  before(async () => {
    folder = vscode.workspace.workspaceFolders![0]!.uri;
    project = `.moontalk-test/kt-${Date.now()}`;
    await write(`${project}/tsconfig.json`, JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'commonjs' }, include: ['*.ts'] }));
    await write(`${project}/lib.ts`, 'export function addOne(n: number): number {\n  return n + 1;\n}\n');
    await write(`${project}/main.ts`, "import { addOne } from './lib';\n\nconst total: number = 'not a number';\nconsole.log(addOne(total));\n");
  });

  beforeEach(async () => {
    api = await activateExtension();
    await openReadyPanel(api);
    recording = await connectRecordingEmulator(api);
    events = recording.values;
  });

  afterEach(async () => {
    recording?.dispose();
    await endToolSession(api);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await Promise.resolve(vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, ...project.split('/')), { recursive: true })).catch(() => undefined);
    await Promise.resolve(vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, '.vscode', 'tasks.json'))).catch(() => undefined);
  });

  it('get_diagnostics: the type error of a file, with its line, from the TypeScript extension; the transcript shows the call', async () => {
    const main = vscode.Uri.joinPath(folder, ...project.split('/'), 'main.ts');
    // The TypeScript server starts on the first .ts file: wait for it once, outside the tool.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(main));
    await waitFor('TypeScript to report the error', () => vscode.languages.getDiagnostics(main).some((d) => d.severity === vscode.DiagnosticSeverity.Error), 90_000);
    const { result } = await callTool('get_diagnostics', { path: `${project}/main.ts` });
    assert.equal(result.scope, `${project}/main.ts`);
    assert.ok(result.counts.error >= 1, JSON.stringify(result));
    const error = result.problems.find((p: any) => p.code === 2322);
    assert.ok(error, JSON.stringify(result.problems));
    assert.equal(error.line, 3);
    assert.equal(error.path, `${project}/main.ts`);
    assert.match(error.message, /not assignable to type 'number'/);
    assert.equal(api.tools.confirmations().length, 0, 'read-only: no question');
    assert.ok(api.session.transcriptEntries().some((e) => e.markers.includes('tool') && /Tool get_diagnostics .*done/.test(e.text)));

    const workspace = (await callTool('get_diagnostics', {})).result;
    assert.equal(workspace.scope, 'workspace');
    assert.ok(workspace.problems.some((p: any) => p.path === `${project}/main.ts` && p.line === 3), 'the workspace list has it too');
  });

  it('find_references and find_definition: a function used in another file, paths relative to the workspace', async () => {
    const lib = vscode.Uri.joinPath(folder, ...project.split('/'), 'lib.ts');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(lib));
    // The project loads in the background: ask until both files are known (bounded).
    const deadline = Date.now() + 60_000;
    let refs = (await callTool('find_references', { path: `${project}/lib.ts`, line: 1, symbol: 'addOne' })).result;
    while (refs.total < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1_000));
      refs = (await callTool('find_references', { path: `${project}/lib.ts`, line: 1, symbol: 'addOne' })).result;
    }
    const places = refs.references.map((r: any) => `${r.path}:${r.line}`);
    assert.deepEqual(places, [`${project}/lib.ts:1`, `${project}/main.ts:1`, `${project}/main.ts:4`]);
    assert.equal(refs.references[2].text, 'console.log(addOne(total));');

    const def = (await callTool('find_definition', { path: `${project}/main.ts`, line: 4, symbol: 'addOne' })).result;
    assert.ok(def.definition.some((d: any) => d.path === `${project}/lib.ts` && d.line === 1), JSON.stringify(def));

    const missing = await callTool('find_references', { path: `${project}/lib.ts`, line: 2, symbol: 'addOne' });
    assert.match(missing.error!, /addOne does not appear on line 2 of .*lib\.ts; that line reads: return n \+ 1;/);
  });

  it('git_diff: "no git repository" outside one, then the uncommitted change of a repository, through the Git extension', async () => {
    const none = (await callTool('git_diff', { path: `${project}/lib.ts` })).result;
    assert.equal(none.repository, null);
    assert.match(none.note, /not in a git repository/);

    const repoDir = path.join(folder.fsPath, project, 'repo');
    await fs.mkdir(repoDir, { recursive: true });
    const git = (...args: string[]) => run('git', ['-c', 'user.email=test@example.invalid', '-c', 'user.name=MoonTalk test', '-c', 'commit.gpgsign=false', ...args], { cwd: repoDir });
    await git('init', '-q');
    await fs.writeFile(path.join(repoDir, 'notes.txt'), 'first line\n');
    await git('add', 'notes.txt');
    await git('commit', '-q', '-m', 'first');
    await fs.writeFile(path.join(repoDir, 'notes.txt'), 'first line\nan uncommitted line\n');
    await fs.writeFile(path.join(repoDir, 'new.txt'), 'untracked\n');
    // The Git extension finds a repository below the workspace folder once a file of it is open.
    const notes = vscode.Uri.file(path.join(repoDir, 'notes.txt'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(notes));
    const gitApi = vscode.extensions.getExtension<any>('vscode.git')!;
    const apiV1 = (gitApi.isActive ? gitApi.exports : await gitApi.activate()).getAPI(1);
    await waitFor('the Git extension to open the repository', () => apiV1.getRepository(notes) !== null, 60_000);
    await waitFor('the Git extension to see the change', () => apiV1.getRepository(notes).state.workingTreeChanges.length > 0 || (apiV1.getRepository(notes).state.untrackedChanges ?? []).length > 0, 30_000);

    const { result } = await callTool('git_diff', { path: `${project}/repo/notes.txt` });
    assert.equal(result.repository, `${project}/repo`);
    assert.deepEqual(result.unstaged, [`${project}/repo/notes.txt (modified)`]);
    assert.match(result.diff, /^\+an uncommitted line$/m);
    assert.equal(api.tools.confirmations().length, 0, 'read-only: no question');
  });

  it('run_task asks first, then reports the exit code and the problems the task produced; run_tests runs the test task', async () => {
    await fs.mkdir(path.join(folder.fsPath, '.vscode'), { recursive: true });
    await write(
      '.vscode/tasks.json',
      JSON.stringify({
        version: '2.0.0',
        tasks: [
          {
            label: 'moontalk-check',
            type: 'shell',
            command: `echo "${project}/lib.ts:2:3: error: moontalk task problem" && exit 3`,
            problemMatcher: {
              owner: 'moontalk-test',
              fileLocation: ['relative', '${workspaceFolder}'],
              pattern: { regexp: '^(.*):(\\d+):(\\d+): (error|warning): (.*)$', file: 1, line: 2, column: 3, severity: 4, message: 5 },
            },
            presentation: { reveal: 'never' },
          },
          { label: 'moontalk-tests', type: 'shell', command: 'echo all good', group: { kind: 'test', isDefault: true }, problemMatcher: [], presentation: { reveal: 'never' } },
          { label: 'moontalk-long', type: 'shell', command: 'sleep 120', problemMatcher: [], presentation: { reveal: 'never' } },
        ],
      }),
    );
    try {
      // The task system reads tasks.json when it changes: poll (bounded) until it has.
      const deadline = Date.now() + 30_000;
      while (!(await vscode.tasks.fetchTasks()).some((t) => t.name === 'moontalk-check') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));

      const listed = (await callTool('list_tasks', {})).result;
      assert.ok(listed.tasks.some((t: any) => t.name === 'moontalk-tests' && t.group === 'test' && t.default === true), JSON.stringify(listed));

      let question = '';
      let detail = '';
      const outcome = await callTool('run_task', { name: 'moontalk-check' }, () => {
        const q = api.tools.confirmations()[0]!;
        question = q.title;
        detail = q.detail;
        api.tools.answer(q.id, true);
      });
      assert.match(question, /run the task moontalk-check/);
      // The question shows what will run: the task's source and name, and its command.
      assert.match(detail, /Task: .+: moontalk-check/);
      assert.match(detail, /echo ".*moontalk task problem" && exit 3/);
      assert.equal(outcome.result.outcome, 'failed', JSON.stringify(outcome));
      assert.equal(outcome.result.exitCode, 3);
      // Only the task's own problem is new (main.ts's type error was there before; TypeScript
      // may re-report it meanwhile, so only lib.ts is compared).
      assert.deepEqual(
        outcome.result.problems.filter((p: any) => p.path === `${project}/lib.ts`).map((p: any) => [p.line, p.column, p.severity, p.message]),
        [[2, 3, 'error', 'moontalk task problem']],
      );
      assert.ok(!outcome.result.problems.some((p: any) => p.code === 2322), 'the type error that was there before is not "produced"');

      let testsQuestion = { id: '', title: '', detail: '' };
      const tests = await callTool('run_tests', {}, () => {
        testsQuestion = api.tools.confirmations()[0]!;
        api.tools.answer(testsQuestion.id, true);
      });
      assert.match(testsQuestion.title, /moontalk-tests/, 'run_tests names the test task it picked');
      assert.match(testsQuestion.detail, /echo all good/);
      assert.match(tests.result.task, /: moontalk-tests$/);
      assert.equal(tests.result.outcome, 'succeeded');
      assert.deepEqual(tests.result.problems, []);

      // The model withdraws a run_task call while its task runs: the task is terminated.
      const running = () => vscode.tasks.taskExecutions.some((e) => e.task.name === 'moontalk-long');
      const callsBefore = events.filter((e) => e.type === 'toolCallSent').length;
      await api.session.sendText('call tool run_task {"name":"moontalk-long"}');
      await waitFor('the run_task question', () => api.tools.confirmations().length === 1, 30_000);
      api.tools.answer(api.tools.confirmations()[0]!.id, true);
      await waitFor('the long task to start', running, 30_000);
      const call = events.filter((e): e is Extract<EmulatorEvent, { type: 'toolCallSent' }> => e.type === 'toolCallSent').slice(callsBefore).find((e) => e.name === 'run_task');
      assert.ok(call, 'the emulator called run_task');
      assert.ok(api.session.emulator!.cancelToolCall(call.id));
      await waitFor('the task to be terminated', () => !running(), 15_000);
      await waitFor('the transcript to say cancelled', () => api.session.transcriptEntries().some((e) => e.markers.includes('tool') && e.text.includes('run_task') && /cancel/i.test(e.text)), 10_000);
    } finally {
      await Promise.resolve(vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, '.vscode', 'tasks.json'))).catch(() => undefined);
    }
  });
});
