import assert from 'node:assert/strict';
import { classifySetupRefusal, type SetupRefusalAction } from '../../../src/core/closePolicy';

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

  for (const [code, context, expected, why] of table) {
    it(`${code} ${context.resumedWithHandle ? 'on a resume' : 'on a new session'}${context.handoffWithOldSocketClosing ? ' while the old socket closes' : ''} → ${expected} (${why})`, () => {
      assert.equal(classifySetupRefusal(code, context), expected);
    });
  }
});
