/**
 * Which paths a tool may touch: files inside the workspace folders, nothing else.
 * Pure string logic over a `path` implementation (node's, or posix/win32 in tests);
 * it does not follow symlinks (the executor opens what VS Code opens).
 *
 * A relative path resolves against the first folder, or against the folder whose
 * name is its first segment in a multi-root workspace ("api/src/x.ts").
 */
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
