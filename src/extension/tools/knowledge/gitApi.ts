/**
 * The part of the built-in Git extension's API (`vscode.git`, `getAPI(1)`) the git_diff tool
 * reads, typed here after its published `git.d.ts` (extensions/git/src/api/git.d.ts in
 * microsoft/vscode): the extension ships no types package, and copying the whole file would
 * pin far more than is used.
 */
import * as vscode from 'vscode';

/** `Status` of git.d.ts, by value. */
const STATUS_NAMES = [
  'INDEX_MODIFIED',
  'INDEX_ADDED',
  'INDEX_DELETED',
  'INDEX_RENAMED',
  'INDEX_COPIED',
  'MODIFIED',
  'DELETED',
  'UNTRACKED',
  'IGNORED',
  'INTENT_TO_ADD',
  'INTENT_TO_RENAME',
  'TYPE_CHANGED',
  'ADDED_BY_US',
  'ADDED_BY_THEM',
  'DELETED_BY_US',
  'DELETED_BY_THEM',
  'BOTH_ADDED',
  'BOTH_DELETED',
  'BOTH_MODIFIED',
] as const;

export function gitStatusName(status: number): string {
  return STATUS_NAMES[status] ?? 'CHANGED';
}

export const GIT_STATUS_UNTRACKED = 7;

export interface GitChange {
  readonly uri: vscode.Uri;
  readonly status: number;
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: {
    readonly HEAD?: { readonly name?: string };
    readonly indexChanges: readonly GitChange[];
    readonly workingTreeChanges: readonly GitChange[];
    /** Newer versions list untracked files apart (git.untrackedChanges: separate). */
    readonly untrackedChanges?: readonly GitChange[];
  };
  diff(cached?: boolean): Promise<string>;
  diffWithHEAD(path: string): Promise<string>;
}

export interface GitApi {
  readonly repositories: readonly GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
}

interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

/** The Git API, or a sentence saying why there is none (the extension is missing or off). */
export async function gitApi(): Promise<GitApi | { unavailable: string }> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return { unavailable: 'The built-in Git extension is not available in this window, so there is no git repository to read.' };
  const exports = extension.isActive ? extension.exports : await extension.activate();
  if (!exports?.enabled) return { unavailable: 'Git is turned off in VS Code (setting git.enabled), so there is no git repository to read.' };
  return exports.getAPI(1);
}
