import assert from 'node:assert/strict';
import {
  decideRestore,
  decodeRecord,
  encodeRecord,
  isRecordError,
  resumptionSecretKey,
  workspaceId,
  type ResumptionRecord,
} from '../../../src/extension/persistence/resumptionRecord';

const HOUR = 3_600_000;
const target = { backend: 'gemini', baseUrl: 'http://127.0.0.1:9000', model: 'gemini-live-2.5-flash-preview' };

function record(overrides: Partial<ResumptionRecord> = {}, handle: string | null = 'handle-abc'): ResumptionRecord {
  return {
    v: 1,
    ...target,
    savedAt: 1_000_000,
    conversationId: 'c1',
    sessionId: 's1',
    snapshot: {
      ledger: { handle: handle ?? undefined, coveredThrough: 2, nextTurn: 4, turns: [{ turn: 3, origin: 'text', userText: 'third', answer: '', status: 'sent' }] },
      lastConnectionEndedAt: undefined,
    },
    ...overrides,
  };
}

describe('resumption record', () => {
  it('round-trips through JSON', () => {
    const r = record();
    const back = decodeRecord(encodeRecord(r));
    assert.ok(!isRecordError(back));
    assert.deepEqual(back, JSON.parse(JSON.stringify(r)));
  });

  it('names the bad field of a damaged record instead of throwing', () => {
    assert.deepEqual(decodeRecord('{'), { error: 'not JSON' });
    const bad = decodeRecord(JSON.stringify({ ...record(), snapshot: { ledger: { coveredThrough: -1, nextTurn: 1, turns: [] } } }));
    assert.ok(isRecordError(bad));
    assert.match(bad.error, /snapshot\.ledger\.coveredThrough/);
  });

  it('keys the secret per workspace, stable and independent of folder order', () => {
    const a = workspaceId(['file:///a', 'file:///b']);
    assert.equal(a, workspaceId(['file:///b', 'file:///a']));
    assert.notEqual(a, workspaceId(['file:///c']));
    assert.match(resumptionSecretKey(a), /^moontalk\.resumption\.[0-9a-f]{16}$/);
    assert.equal(workspaceId([]), workspaceId([]));
  });

  it('resumes a handle within its lifetime, counting from the save when no end time was stored', () => {
    const d = decideRestore(record(), target, 1_000_000 + HOUR, 2 * HOUR);
    assert.equal(d.kind, 'resume');
    assert.equal(d.kind === 'resume' && d.restored.lastConnectionEndedAt, 1_000_000);
    assert.equal(d.kind === 'resume' && d.restored.ledger.handle, 'handle-abc');
  });

  it('drops an expired handle and starts fresh with the turns as context, saying it expired', () => {
    const d = decideRestore(record({ snapshot: { ...record().snapshot, lastConnectionEndedAt: 2_000_000 } }), target, 2_000_000 + 2 * HOUR + 1, 2 * HOUR);
    assert.equal(d.kind, 'fresh');
    assert.ok(d.kind === 'fresh' && d.expired);
    assert.equal(d.kind === 'fresh' && d.restored.ledger.handle, undefined);
    assert.equal(d.kind === 'fresh' && d.restored.ledger.coveredThrough, 0);
    assert.equal(d.kind === 'fresh' && d.restored.ledger.turns.length, 1);
  });

  it('ignores a record of another backend, endpoint or model', () => {
    assert.deepEqual(decideRestore(record(), { ...target, model: 'other' }, 0, HOUR), { kind: 'none', why: 'otherTarget' });
    assert.deepEqual(decideRestore(record(), { ...target, baseUrl: 'http://127.0.0.1:1' }, 0, HOUR), { kind: 'none', why: 'otherTarget' });
    assert.deepEqual(decideRestore(undefined, target, 0, HOUR), { kind: 'none', why: 'nothing' });
  });

  it('restores turns without a handle as a fresh session that is not called expired', () => {
    const d = decideRestore(record({}, null), target, 1_000_000, HOUR);
    assert.ok(d.kind === 'fresh' && !d.expired);
  });

  it('carries the session\'s start time and connection count into a resume, and not into a fresh session', () => {
    const withStats = (handle: string | null, extra: Partial<ResumptionRecord['snapshot']> = {}) => {
      const r = record({}, handle);
      return { ...r, snapshot: { ...r.snapshot, startTime: 400_000, connections: 3, handoffs: 1, reconnects: 1, ...extra } };
    };
    const resumed = decideRestore(withStats('handle-abc'), target, 1_000_000 + HOUR, 2 * HOUR);
    assert.ok(resumed.kind === 'resume');
    assert.equal(resumed.restored.startTime, 400_000);
    assert.equal(resumed.restored.connections, 3);
    assert.equal(resumed.restored.handoffs, 1);
    assert.equal(resumed.restored.reconnects, 1);
    const expired = decideRestore(withStats('handle-abc', { lastConnectionEndedAt: 1_000_000 }), target, 1_000_000 + 3 * HOUR, 2 * HOUR);
    assert.ok(expired.kind === 'fresh');
    assert.equal(expired.restored.startTime, undefined, 'a fresh session starts its own clock');
    assert.equal(expired.restored.connections, undefined);
    const back = decodeRecord(encodeRecord(withStats('handle-abc')));
    assert.ok(!isRecordError(back) && back.snapshot.startTime === 400_000 && back.snapshot.connections === 3);
    // A record written before these were kept still decodes.
    assert.ok(!isRecordError(decodeRecord(encodeRecord(record()))));
    assert.ok(isRecordError(decodeRecord(encodeRecord(withStats('h', { connections: -1 })))));
  });
});
