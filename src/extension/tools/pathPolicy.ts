/**
 * Which paths a tool may touch: files inside the workspace folders, nothing else.
 * {@link resolveWorkspacePath} is pure string logic over a `path` implementation
 * (node's, or posix/win32 in tests). {@link resolveRealWorkspacePath} then follows
 * symbolic links (`realpath`) of both the path and the folders and checks again: a
 * link inside the workspace that points outside it (`notes -> /home/me/.ssh`) is
 * refused, and the executor opens the resolved path, so what was checked is what opens.
 *
 * A relative path resolves against the first folder, or against the folder whose
 * name is its first segment in a multi-root workspace ("api/src/x.ts").
 */
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';

export interface WorkspaceRoot {
  /** The folder's name as VS Code shows it. */
  name: string;
  /** Absolute file-system path. */
  fsPath: string;
}

export type PathDecision = { ok: true; fsPath: string; root: WorkspaceRoot; relative: string } | { ok: false; error: string };

type PathImpl = Pick<typeof nodePath, 'resolve' | 'relative' | 'isAbsolute' | 'sep' | 'normalize'>;

function inside(root: string, candidate: string, p: PathImpl): string | undefined {
  const rel = p.relative(root, candidate);
  if (rel === '') return '';
  if (rel.startsWith('..') || p.isAbsolute(rel)) return undefined;
  return rel;
}

export function resolveWorkspacePath(input: string, roots: readonly WorkspaceRoot[], p: PathImpl = nodePath): PathDecision {
  const raw = input.trim();
  if (roots.length === 0) return { ok: false, error: 'No folder is open in VS Code, so no file can be opened.' };
  if (raw === '' || raw.includes('\0')) return { ok: false, error: 'The path is empty or invalid.' };
  // A `file://` URI is accepted for absolute paths; other schemes are not files of this workspace.
  let candidate = raw;
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(raw)) {
    if (!raw.toLowerCase().startsWith('file://')) return { ok: false, error: `Only workspace files can be used, not ${raw.split(':', 1)[0]} URIs.` };
    try {
      candidate = decodeURIComponent(new URL(raw).pathname);
    } catch {
      return { ok: false, error: 'The file URI is invalid.' };
    }
  }
  if (p.isAbsolute(candidate)) {
    const absolute = p.resolve(candidate);
    for (const root of roots) {
      const rel = inside(root.fsPath, absolute, p);
      if (rel !== undefined) return { ok: true, fsPath: absolute, root, relative: rel };
    }
    return { ok: false, error: `${raw} is outside the workspace folders; only files inside them can be used.` };
  }
  const segments = candidate.split(/[\\/]+/);
  const named = roots.length > 1 ? roots.find((r) => r.name === segments[0]) : undefined;
  const root = named ?? roots[0]!;
  const rest = named ? segments.slice(1).join(p.sep) : candidate;
  const absolute = p.resolve(root.fsPath, rest);
  const rel = inside(root.fsPath, absolute, p);
  if (rel === undefined) return { ok: false, error: `${raw} points outside the workspace folder; only files inside it can be used.` };
  return { ok: true, fsPath: absolute, root, relative: rel };
}

/** Follows every symbolic link of an existing path (fs.realpath). */
export type RealPath = (p: string) => Promise<string>;

/**
 * The real path of `p`: of `p` itself when it exists, else of its nearest existing
 * ancestor with the rest appended (a file about to be created has no real path yet, but
 * the folder it goes into does, and that folder may be a link).
 */
async function realPathOf(p: string, realpath: RealPath, path: PathImpl): Promise<string> {
  const missing: string[] = [];
  let current = p;
  for (;;) {
    try {
      const real = await realpath(current);
      return missing.length === 0 ? real : path.resolve(real, ...missing.reverse());
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      // A dangling link has no real path, but opening or creating through it would follow it.
      if (await fs.lstat(current).then((st) => st.isSymbolicLink(), () => false)) {
        throw Object.assign(new Error(`${current} is a dangling symbolic link`), { code: 'dangling symbolic link' });
      }
      const parent = path.resolve(current, '..');
      if (parent === current) return p;
      missing.push(path.relative(parent, current));
      current = parent;
    }
  }
}

/**
 * {@link resolveWorkspacePath}, then the same check on real paths: the workspace folders'
 * and the candidate's symbolic links resolved. The decision's `fsPath` is the real path.
 */
export async function resolveRealWorkspacePath(input: string, roots: readonly WorkspaceRoot[], realpath: RealPath = fs.realpath, p: PathImpl = nodePath): Promise<PathDecision> {
  const decision = resolveWorkspacePath(input, roots, p);
  if (!decision.ok) return decision;
  let real: string;
  try {
    real = await realPathOf(decision.fsPath, realpath, p);
  } catch (err) {
    return { ok: false, error: `${input.trim()} cannot be resolved (${(err as NodeJS.ErrnoException).code ?? 'error'}); only files inside the workspace folders can be used.` };
  }
  for (const root of roots) {
    const realRoot = await realpath(root.fsPath).catch(() => root.fsPath);
    const rel = inside(realRoot, real, p);
    if (rel !== undefined) return { ok: true, fsPath: real, root, relative: decision.relative };
  }
  return { ok: false, error: `${input.trim()} leads through a symbolic link to a place outside the workspace folders; only files inside them can be used.` };
}

/** The folders with their links followed (a folder whose real path cannot be read stays as given). */
export async function realRoots(roots: readonly WorkspaceRoot[], realpath: RealPath = fs.realpath): Promise<string[]> {
  return Promise.all(roots.map((r) => realpath(r.fsPath).catch(() => r.fsPath)));
}

/**
 * True when `fsPath`, with its links followed, is inside one of `resolvedRoots`
 * ({@link realRoots}, computed once per search). For search results.
 */
export async function isReallyInside(fsPath: string, resolvedRoots: readonly string[], realpath: RealPath = fs.realpath, p: PathImpl = nodePath): Promise<boolean> {
  let real: string;
  try {
    real = await realpath(fsPath);
  } catch {
    return false;
  }
  return resolvedRoots.some((root) => inside(root, real, p) !== undefined);
}

/** A workspace folder by its URI: `path` is the URI's path (posix, `/home/me/proj`). */
export interface FolderRef {
  name: string;
  path: string;
}

export type FolderPathDecision = { ok: true; folder: number; relative: string; segments: string[] } | { ok: false; error: string };

/**
 * {@link resolveWorkspacePath} for folders known only by URI (a remote or virtual workspace,
 * where the extension host has no file system path to realpath): the input is checked as a
 * posix path against the folder URI's path, and the answer is the folder's index and the
 * segments to join to its URI (`Uri.joinPath`), so the folder's own file system provider reads it.
 */
export function resolveFolderPath(input: string, folders: readonly FolderRef[]): FolderPathDecision {
  const roots = folders.map((f) => ({ name: f.name, fsPath: f.path || '/' }));
  const decision = resolveWorkspacePath(input, roots, nodePath.posix);
  if (!decision.ok) return decision;
  const folder = roots.indexOf(decision.root);
  return { ok: true, folder, relative: decision.relative, segments: decision.relative.split('/').filter((s) => s !== '') };
}
