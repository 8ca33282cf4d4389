import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isReallyInside, realRoots, resolveFolderPath, resolveRealWorkspacePath, type WorkspaceRoot } from '../../../src/extension/tools/pathPolicy';

/** Real folders and links: the workspace, a private folder outside it, links between them. */
describe('path policy on real paths (symbolic links)', () => {
  let base: string;
  let ws: string;
  let outside: string;
  let roots: WorkspaceRoot[];

  before(async () => {
    base = await fs.realpath(await fs.mkdtemp(join(tmpdir(), 'mt-paths-')));
    ws = join(base, 'ws');
    outside = join(base, 'private');
    await fs.mkdir(join(ws, 'src'), { recursive: true });
    await fs.mkdir(outside);
    await fs.writeFile(join(ws, 'src', 'a.ts'), 'inside');
    await fs.writeFile(join(outside, 'id_rsa'), 'secret');
    await fs.symlink(join(outside, 'id_rsa'), join(ws, 'key-link'));
    await fs.symlink(outside, join(ws, 'private-dir'));
    await fs.symlink(join(ws, 'src', 'a.ts'), join(ws, 'inner-link'));
    await fs.symlink(join(outside, 'gone'), join(ws, 'dangling'));
    // The workspace opened through a link to it: its files are still inside.
    await fs.symlink(ws, join(base, 'ws-alias'));
    roots = [{ name: 'ws', fsPath: ws }];
  });
  after(async () => fs.rm(base, { recursive: true, force: true }));

  it('allows a plain file inside, and resolves to its real path', async () => {
    const d = await resolveRealWorkspacePath('src/a.ts', roots);
    assert.ok(d.ok);
    assert.equal(d.fsPath, join(ws, 'src', 'a.ts'));
    assert.equal(d.relative, join('src', 'a.ts'));
  });

  it('refuses a file link inside the workspace that points outside', async () => {
    const d = await resolveRealWorkspacePath('key-link', roots);
    assert.ok(!d.ok);
    assert.match(d.error, /symbolic link to a place outside the workspace/);
  });

  it('refuses a path through a folder link that points outside, existing file or not', async () => {
    for (const p of ['private-dir/id_rsa', join(ws, 'private-dir', 'id_rsa'), 'private-dir/new-file.txt', `file://${join(ws, 'private-dir', 'id_rsa')}`]) {
      const d = await resolveRealWorkspacePath(p, roots);
      assert.ok(!d.ok, p);
    }
  });

  it('refuses a dangling link (opening it would follow it)', async () => {
    const d = await resolveRealWorkspacePath('dangling', roots);
    assert.ok(!d.ok);
    assert.match(d.error, /cannot be resolved/);
  });

  it('allows a link that stays inside, opening the target', async () => {
    const d = await resolveRealWorkspacePath('inner-link', roots);
    assert.ok(d.ok);
    assert.equal(d.fsPath, join(ws, 'src', 'a.ts'));
  });

  it('works when the workspace folder itself is opened through a link', async () => {
    const aliasRoots = [{ name: 'ws', fsPath: join(base, 'ws-alias') }];
    const d = await resolveRealWorkspacePath('src/a.ts', aliasRoots);
    assert.ok(d.ok);
    assert.equal(d.fsPath, join(ws, 'src', 'a.ts'));
    assert.ok(!(await resolveRealWorkspacePath('key-link', aliasRoots)).ok);
  });

  it('still refuses plain paths outside before looking at the disk', async () => {
    assert.ok(!(await resolveRealWorkspacePath('../private/id_rsa', roots)).ok);
    assert.ok(!(await resolveRealWorkspacePath(join(outside, 'id_rsa'), roots)).ok);
  });

  it('isReallyInside: search results through an outside link are not inside', async () => {
    const resolved = await realRoots([{ name: 'ws', fsPath: join(base, 'ws-alias') }]);
    assert.deepEqual(resolved, [ws]);
    assert.equal(await isReallyInside(join(ws, 'src', 'a.ts'), resolved), true);
    assert.equal(await isReallyInside(join(base, 'ws-alias', 'src', 'a.ts'), resolved), true);
    assert.equal(await isReallyInside(join(ws, 'private-dir', 'id_rsa'), resolved), false);
    assert.equal(await isReallyInside(join(ws, 'key-link'), resolved), false);
    assert.equal(await isReallyInside(join(ws, 'missing.txt'), resolved), false);
  });
});

describe('path policy for remote and virtual folders (by URI path)', () => {
  const remote = [{ name: 'proj', path: '/home/me/proj' }];

  it('resolves a relative path to segments to join to the folder URI', () => {
    assert.deepEqual(resolveFolderPath('src/a.ts', remote), { ok: true, folder: 0, relative: 'src/a.ts', segments: ['src', 'a.ts'] });
    assert.deepEqual(resolveFolderPath('/home/me/proj/b.ts', remote), { ok: true, folder: 0, relative: 'b.ts', segments: ['b.ts'] });
  });

  it('refuses paths that leave the folder, as for local folders', () => {
    assert.equal(resolveFolderPath('../other/x.ts', remote).ok, false);
    assert.equal(resolveFolderPath('/etc/passwd', remote).ok, false);
    assert.equal(resolveFolderPath('vscode-vfs://github/o/r/x.ts', remote).ok, false, 'another URI is not a workspace file');
    assert.match((resolveFolderPath('x.ts', []) as { error: string }).error, /No folder is open/);
  });

  it('picks the folder a multi-root path names first, by index', () => {
    const folders = [
      { name: 'api', path: '/w/api' },
      { name: 'web', path: '/' },
    ];
    assert.deepEqual(resolveFolderPath('web/src/main.ts', folders), { ok: true, folder: 1, relative: 'src/main.ts', segments: ['src', 'main.ts'] });
    assert.deepEqual(resolveFolderPath('lib.ts', folders), { ok: true, folder: 0, relative: 'lib.ts', segments: ['lib.ts'] });
  });
});
