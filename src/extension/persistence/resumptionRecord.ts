/**
 * What the extension keeps so that the next window (after a reload) resumes the same
 * Live session: the core's resumption snapshot (which holds the handle, so the whole
 * record is a secret), the backend, base URL and model it belongs to, and the local
 * conversation id the history files it under. Pure: no vscode, no I/O; the
 * SecretStorage side is resumptionStore.ts.
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import type { ResumptionSnapshot } from '../../core/liveSession';

export const RESUMPTION_RECORD_VERSION = 1;

/** What a handle is good for: a handle from one backend, endpoint or model means nothing to another. */
export interface ResumptionTarget {
  backend: string;
  baseUrl: string;
  model: string;
}

export interface ResumptionRecord extends ResumptionTarget {
  v: typeof RESUMPTION_RECORD_VERSION;
  /** Epoch ms of the write; while connected, the connection was alive then. */
  savedAt: number;
  /** The history conversation this session belongs to. */
  conversationId: string;
  /** The local id of the Live session (a fresh session gets a new one). */
  sessionId: string;
  snapshot: ResumptionSnapshot;
}

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const LedgerSchema = v.object({
  handle: v.optional(v.pipe(v.string(), v.maxLength(10_000))),
  coveredThrough: count,
  nextTurn: v.pipe(v.number(), v.integer(), v.minValue(1)),
  turns: v.pipe(
    v.array(
      v.object({
        turn: v.pipe(v.number(), v.integer(), v.minValue(1)),
        origin: v.picklist(['text', 'audio']),
        userText: v.string(),
        answer: v.string(),
        status: v.picklist(['queued', 'sent', 'complete']),
      }),
    ),
    v.maxLength(1_000),
  ),
});
const RecordSchema = v.object({
  v: v.literal(RESUMPTION_RECORD_VERSION),
  backend: v.pipe(v.string(), v.maxLength(50)),
  baseUrl: v.pipe(v.string(), v.maxLength(2_000)),
  model: v.pipe(v.string(), v.maxLength(200)),
  savedAt: v.pipe(v.number(), v.finite(), v.minValue(0)),
  conversationId: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  sessionId: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  snapshot: v.object({
    ledger: LedgerSchema,
    lastConnectionEndedAt: v.optional(v.pipe(v.number(), v.finite())),
    // Optional: records written before they were kept lack them (the session then counts from 0:00, #1).
    startTime: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))),
    connections: v.optional(count),
    handoffs: v.optional(count),
    reconnects: v.optional(count),
  }),
});

/**
 * A short stable id for the workspace (its folder URIs, or the .code-workspace file),
 * so each workspace keeps its own conversation. A window with no folder shares one.
 */
export function workspaceId(folderUris: readonly string[], workspaceFile?: string): string {
  const basis = workspaceFile ?? (folderUris.length > 0 ? [...folderUris].sort().join('\n') : 'no-workspace');
  return createHash('sha256').update(basis).digest('hex').slice(0, 16);
}

export function resumptionSecretKey(workspace: string): string {
  return `moontalk.resumption.${workspace}`;
}

export function encodeRecord(record: ResumptionRecord): string {
  return JSON.stringify(record);
}

/** Parses a stored record; a damaged or foreign value comes back as `{ error }` naming the field, never a throw. */
export function decodeRecord(raw: string): ResumptionRecord | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { error: 'not JSON' };
  }
  const result = v.safeParse(RecordSchema, json);
  if (result.success) return result.output as ResumptionRecord;
  const issue = result.issues[0];
  return { error: `${(issue && v.getDotPath(issue)) ?? 'record'}: ${issue?.message ?? 'invalid'}` };
}

export function isRecordError(x: ResumptionRecord | { error: string }): x is { error: string } {
  return 'error' in x;
}

export type RestoreDecision =
  /** Nothing stored, or stored for another backend, endpoint or model. */
  | { kind: 'none'; why: 'nothing' | 'otherTarget' }
  /** A handle within its lifetime: resume it. */
  | { kind: 'resume'; record: ResumptionRecord; restored: ResumptionRecord['snapshot'] }
  /**
   * No usable handle (expired, or none was ever issued): a fresh session starts with
   * the kept turns as context. `expired` tells the caller to say so.
   */
  | { kind: 'fresh'; record: ResumptionRecord; restored: ResumptionRecord['snapshot']; expired: boolean };

/**
 * Decides what a first connect does with a stored record.
 *
 * @remarks
 * A handle is valid about 2 h after the last connection ended (LIVE-PROTOCOL.md). A record
 * written while connected has no end time; the connection was alive at `savedAt`, so that
 * is the earliest it can have ended, and the one used (it may call a handle expired a little
 * early, never late: a late call costs a refused resume, an early one only a resend).
 */
export function decideRestore(record: ResumptionRecord | undefined, target: ResumptionTarget, now: number, handleLifetimeMs: number): RestoreDecision {
  if (!record) return { kind: 'none', why: 'nothing' };
  if (record.backend !== target.backend || record.baseUrl !== target.baseUrl || record.model !== target.model) return { kind: 'none', why: 'otherTarget' };
  const endedAt = Math.max(record.snapshot.lastConnectionEndedAt ?? 0, record.savedAt);
  const ledger = record.snapshot.ledger;
  if (!ledger.handle) return { kind: 'fresh', record, restored: { ledger, lastConnectionEndedAt: endedAt }, expired: false };
  if (now - endedAt > handleLifetimeMs) {
    // Drop the handle here rather than leave it to the core: the caller must know, to tell the user.
    return { kind: 'fresh', record, restored: { ledger: { ...ledger, handle: undefined, coveredThrough: 0 }, lastConnectionEndedAt: endedAt }, expired: true };
  }
  // Resuming goes on with the same Live session, so its start time and counts go on too (the
  // whole snapshot); a fresh session (above) starts its own.
  return { kind: 'resume', record, restored: { ...record.snapshot, lastConnectionEndedAt: endedAt } };
}
