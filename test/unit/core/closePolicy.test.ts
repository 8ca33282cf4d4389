import assert from 'node:assert/strict';
import { classifySetupRefusal, fatalCloseKind, type SetupRefusalAction } from '../../../src/core/closePolicy';
import { QUOTA_CLOSE_CODE, QUOTA_CLOSE_REASON } from '../../../src/emulator/emulatorOptions';

describe('what a close before setupComplete means', () => {
  const fresh = { handoffWithOldSocketClosing: false, resumedWithHandle: false };
  const resume = { handoffWithOldSocketClosing: false, resumedWithHandle: true };
  const racedHandoff = { handoffWithOldSocketClosing: true, resumedWithHandle: true };

  const table: Array<[number, typeof fresh, SetupRefusalAction, string]> = [
    [1011, racedHandoff, 'retryAfterOldSocketCloses', 'a resume that raced our own close frame'],
    [1011, resume, 'reconnect', "the service's own trouble"],
    [1011, fresh, 'reconnect', "the service's own trouble"],
    [1008, fresh, 'replaceCredential', 'a refused key or a used-up token'],
    [1008, racedHandoff, 'replaceCredential', 'a token that expired during the handoff'],
    [1007, resume, 'startFresh', 'a stale or refused handle'],
    [1007, racedHandoff, 'startFresh', 'a handle refused during a handoff'],
    [1007, fresh, 'failBadSetup', 'our setup is wrong; retrying the same frame cannot help'],
    [1006, resume, 'reconnect', 'a dropped connection'],
    [1001, fresh, 'reconnect', 'the server going away'],
    [1000, fresh, 'reconnect', 'a normal close before setupComplete'],
  ];

  const notFound = 'models/gemini-2.0-flash-live-001 is not found for API version v1beta, or is not supported for bidiGenerateContent. Call ListModels';
  const byReason: Array<[number, string, typeof fresh, SetupRefusalAction, string]> = [
    [1008, notFound, fresh, 'failModelNotFound', 'the model, not the credential: no token churn'],
    [1008, notFound, racedHandoff, 'failModelNotFound', 'even inside a handoff'],
    [1011, notFound, fresh, 'reconnect', 'only a 1008 says the model is missing (CLI-CONTRACT.md); a 1011 is the service’s trouble'],
    [1007, 'Invalid argument: generationConfig.thinkingConfig is not supported by this model.', fresh, 'failBadSetup', 'a field the model refuses is a bad setup, not a missing model'],
    [1007, 'Function f: behavior BLOCKING is not supported by this model.', resume, 'startFresh', 'a 1007 on a resume stays a refused handle whatever its words'],
    [1008, 'RESOURCE_EXHAUSTED: quota exceeded', fresh, 'failQuota', 'quota: retrying soon only burns more'],
    [1011, 'Resource has been exhausted (e.g. check quota).', resume, 'failQuota', 'quota on a resume'],
    [1008, 'API key not valid. Please pass a valid API key.', fresh, 'replaceCredential', 'a plain refusal stays a credential matter'],
    // The service's words from the field (GoogleCloudPlatform/generative-ai issue 1576), cut at 123 bytes as they arrive.
    [1011, 'Request trace id: f102afa6f090070d, [ORIGINAL ERROR] generic::resource_exhausted: RESOURCE_EXHAUSTED: Maximum concurrent se', fresh, 'failQuota', 'too many concurrent sessions'],
    [QUOTA_CLOSE_CODE, QUOTA_CLOSE_REASON, resume, 'failQuota', "the emulator's quota close is the service's"],
    [429, 'Too Many Requests', fresh, 'failQuota', 'HTTP 429 on the upgrade'],
    [1011, 'Deadline expired', resume, 'reconnect', "a session's hard end is not a quota"],
    [1011, 'Request trace id: 21d3, [ORIGINAL ERROR] extensible_stubs::OVERLOADED_TOO_MANY_RETRIES_PER_REQUEST: You are mos', fresh, 'reconnect', 'an overloaded service is worth a retry with backoff'],
    [1007, 'Request contains an invalid argument.', fresh, 'failBadSetup', 'a reason that names neither'],
  ];
  for (const [code, reason, context, expected, why] of byReason) {
    it(`${code} "${reason.slice(0, 40)}…" → ${expected} (${why})`, () => {
      assert.equal(classifySetupRefusal(code, context, reason), expected);
    });
  }

  for (const [code, context, expected, why] of table) {
    it(`${code} ${context.resumedWithHandle ? 'on a resume' : 'on a new session'}${context.handoffWithOldSocketClosing ? ' while the old socket closes' : ''} → ${expected} (${why})`, () => {
      assert.equal(classifySetupRefusal(code, context), expected);
    });
  }

  // After setupComplete: only closes that retrying cannot fix stop the session (liveSession drops).
  const live: Array<[number, string, ReturnType<typeof fatalCloseKind>, string]> = [
    [QUOTA_CLOSE_CODE, QUOTA_CLOSE_REASON, 'quota', 'a quota used up mid-session: stop, say so'],
    [1008, 'Quota exceeded for quota metric', 'quota', 'the policy close for a quota'],
    [429, '', 'quota', 'HTTP 429'],
    [1008, notFound, 'modelNotFound', 'the model went away'],
    [1006, '', undefined, 'a drop: resume'],
    [1011, 'Internal error encountered.', undefined, "the service's own trouble: resume"],
    [1011, 'Deadline expired', undefined, 'the session cap: resume'],
    [1000, 'quota', undefined, 'a normal close is never a quota, whatever its words'],
  ];
  for (const [code, reason, expected, why] of live) {
    it(`a live connection closed ${code} "${reason.slice(0, 30)}" → ${expected ?? 'reconnect'} (${why})`, () => {
      assert.equal(fatalCloseKind(code, reason), expected);
    });
  }
});
