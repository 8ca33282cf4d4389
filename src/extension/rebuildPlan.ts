/**
 * Where a new LiveClient's conversation comes from when SessionController rebuilds it
 * (a connect after a settings change, a reload, a takeover or a New Conversation):
 * carried over from the client it replaces, restored from the record the previous
 * window stored, or none (a fresh session). Pure, so the table in
 * test/unit/extension/rebuildPlan.test.ts states every case; the controller only wires it.
 */
import type { ResumptionTarget } from './persistence/resumptionRecord';
import { bareModelId, findLiveModel } from '../core/models';

export interface RebuildInput {
  /** The user asked for a new conversation (the lease claim answered 'newConversation'). */
  readonly fresh: boolean;
  /** The first build after activation, or the first after another window took the conversation over. */
  readonly restoreFromStorage: boolean;
  /** moontalk.resumption.enabled: without it nothing is carried or restored. */
  readonly resumption: boolean;
  /** Session persistence exists (SecretStorage and the lease). */
  readonly hasPersistence: boolean;
  /** The client being replaced, if any. */
  readonly old: ResumptionTarget | undefined;
  /** What the new client talks to. */
  readonly next: ResumptionTarget;
}

export interface RebuildPlan {
  /**
   * `carryOver`: continue the old client's conversation (same backend, endpoint and model:
   * a handle means nothing to another). `storage`: ask decideRestore about the stored
   * record. `none`: a fresh session.
   */
  readonly source: 'carryOver' | 'storage' | 'none';
  /** An old client's conversation ends here: the transcript says a new one starts. */
  readonly announceNewConversation: boolean;
  /** Save this client's session for the next window (not for a second window's own conversation). */
  readonly persist: boolean;
}

/** `models/x`, `x` and an alias of x (the table of models) are the same model. */
const modelKey = (model: string) => findLiveModel(model)?.id ?? bareModelId(model);
const sameTarget = (a: ResumptionTarget, b: ResumptionTarget) => a.backend === b.backend && a.baseUrl === b.baseUrl && modelKey(a.model) === modelKey(b.model);

export function planRebuild(input: RebuildInput): RebuildPlan {
  const { fresh, restoreFromStorage, resumption, hasPersistence, old, next } = input;
  let source: RebuildPlan['source'] = 'none';
  if (!fresh && resumption) {
    // Storage wins over the old client after a takeover: the other window's handle is the newer one.
    if (!restoreFromStorage && old && sameTarget(old, next)) source = 'carryOver';
    else if (restoreFromStorage && hasPersistence) source = 'storage';
  }
  return { source, announceNewConversation: old !== undefined && source !== 'carryOver', persist: !fresh && resumption && hasPersistence };
}
