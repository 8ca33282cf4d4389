import assert from 'node:assert/strict';
import { MoonTalkError, type ErrorReason } from '../../../src/common/errors';
import { Redactor } from '../../../src/common/redact';
import { Commands } from '../../../src/extension/constants';
import { english } from '../../../src/extension/localize';
import { DEFAULT_MODEL } from '../../../src/core/models';
import { captureFailed, describeError, GET_API_KEY_URL, keyAccepted, keyCheckFailed, keyRejected, leaseLost, modelShutDown, panelDidNotLoad, resumeFellBack } from '../../../src/extension/userMessages';

const KEY = 'AIzaSyA-1234567890abcdefghijklmnopqrstu';

describe('user messages (userMessages.ts, no vscode)', () => {
  const redactor = new Redactor();

  // Every reason gets text, a severity, and the buttons that fit (STYLE.md §6).
  const table: ReadonlyArray<[ErrorReason, 'error' | 'warning' | 'info', string[], string | undefined]> = [
    ['badKey', 'error', [Commands.setApiKey, 'vscode.open', Commands.showLogs], 'setApiKey'],
    ['tokenRefused', 'error', [Commands.setApiKey, Commands.toggleEphemeralTokens, Commands.showLogs], 'setApiKey'],
    ['tokenMint', 'error', [Commands.connect, Commands.showLogs], 'retry'],
    ['handleRejected', 'info', [Commands.showLogs], undefined],
    ['badSetup', 'error', ['workbench.action.openSettings', Commands.showLogs], 'showLogs'],
    ['network', 'warning', [Commands.showLogs], 'showLogs'],
    ['gaveUp', 'error', [Commands.connect, Commands.switchBackend, Commands.showLogs], 'retry'],
    ['protocol', 'warning', [Commands.showLogs], undefined],
    ['invalidConfig', 'error', ['workbench.action.openSettings'], 'showLogs'],
    ['queueFull', 'warning', [], undefined],
    ['closed', 'warning', [Commands.connect], 'retry'],
    // No details.model: the fixes are those for the default model itself (the picker only).
    ['modelNotFound', 'error', [Commands.chooseModel, Commands.showLogs], 'showLogs'],
    ['quota', 'error', [Commands.connect, Commands.switchBackend, 'vscode.open', Commands.showLogs], 'retry'],
    ['noResponse', 'error', [Commands.connect, Commands.showLogs], 'retry'],
    ['serverError', 'error', [Commands.connect, Commands.showLogs], 'retry'],
  ];
  for (const [reason, severity, commands, webviewAction] of table) {
    it(`${reason}: ${severity}, buttons ${commands.join(', ') || 'none'}`, () => {
      const m = describeError(new MoonTalkError(reason, `details ${KEY}`), redactor, english);
      assert.equal(m.severity, severity);
      assert.deepEqual(m.actions.map((a) => a.command), commands);
      assert.equal(m.webviewAction, webviewAction);
      assert.ok(m.text.length > 20 && !m.text.includes('{0}'), m.text);
      assert.ok(!m.text.includes(KEY), 'a key in the details is redacted');
    });
  }

  it('"could not reconnect" names the last close code and reason, and offers Retry and the offline demo', () => {
    const m = describeError(new MoonTalkError('gaveUp', 'x', { code: 1006, closeReason: `socket hang up ${KEY}` }), redactor, english);
    assert.match(m.text, /^MoonTalk could not reconnect after several attempts \(last close: 1006 socket hang up <key:[0-9a-f]+>\)\./);
    assert.deepEqual(m.actions.map((a) => [a.title, a.args]), [['Retry', undefined], ['Switch to Offline Demo', ['emulator']], ['Show Logs', undefined]]);
    assert.match(describeError(new MoonTalkError('gaveUp', 'x', { code: 1011 }), redactor, english).text, /last close: 1011 no reason given/);
  });

  it('a quota close names the cause, says retrying stopped, and links to the quota page', () => {
    const m = describeError(new MoonTalkError('quota', 'core text', { code: 1011, closeReason: 'RESOURCE_EXHAUSTED: Maximum concurrent sessions' }), redactor, english);
    assert.match(m.text, /quota or rate limit was reached \(1011 RESOURCE_EXHAUSTED: Maximum concurrent sessions\)\. MoonTalk stopped retrying\./);
    assert.ok(m.actions.some((a) => a.command === 'vscode.open' && String(a.args?.[0]).startsWith('https://aistudio.google.com/')));
  });

  it('Set API Key: a wrong key and a dead network read differently, and only the wrong key offers a new key', () => {
    const wrong = keyRejected(english, 'HTTP 400');
    const offline = keyCheckFailed(new MoonTalkError('network', 'fetch failed'), redactor, english);
    assert.match(wrong.text, /^Gemini rejected the API key \(HTTP 400\)\. Nothing was saved/);
    assert.match(offline.text, /^Could not reach Gemini to check the API key \(fetch failed\)\. Nothing was saved; check the network or proxy/);
    assert.deepEqual(wrong.actions.find((a) => a.command === 'vscode.open')?.args, [GET_API_KEY_URL]);
    assert.equal(offline.actions.some((a) => a.command === 'vscode.open'), false);
    assert.match(keyCheckFailed(new MoonTalkError('quota', 'HTTP 429'), redactor, english).text, /quota or rate limit/);
  });

  it('Set API Key: accepted on the offline demo offers Use Gemini; on Gemini nothing to offer', () => {
    const demo = keyAccepted(true, english);
    assert.match(demo.text, /accepted the API key.*secret storage.*offline demo/);
    assert.deepEqual(demo.actions.map((a) => [a.title, a.command, a.args]), [['Use Gemini', Commands.switchBackend, ['gemini']]]);
    assert.deepEqual(keyAccepted(false, english).actions, []);
  });

  it('names the missing field for a missing key or broker credential', () => {
    assert.equal(describeError(new MoonTalkError('invalidConfig', 'x', { field: 'apiKey' }), redactor, english).webviewAction, 'setApiKey');
    assert.deepEqual(describeError(new MoonTalkError('invalidConfig', 'x', { field: 'brokerCredential' }), redactor, english).actions.map((a) => a.command), [Commands.useTokenBroker]);
  });

  it('wraps an unknown error with its redacted message', () => {
    const m = describeError(new Error(`boom ${KEY}`), redactor, english);
    assert.match(m.text, /^MoonTalk ran into a problem: boom <key:[0-9a-f]+>\. Your conversation is kept\.$/);
  });

  it('builds the standalone messages with localized button titles', () => {
    const shout = (s: string, ...a: Array<string | number | boolean>) => english(s, ...a).toUpperCase();
    assert.deepEqual(keyRejected(shout).actions.map((a) => a.title), ['TRY AGAIN', 'GET A KEY', 'SHOW LOGS']);
    assert.match(keyCheckFailed(new Error('offline'), redactor, english).text, /\(offline\)/);
    assert.equal(resumeFellBack(english).actions[0]!.command, Commands.showHistory);
    assert.equal(leaseLost(english).webviewAction, 'retry');
    assert.match(captureFailed('no device', redactor, english).text, /\(no device\)/);
    assert.equal(panelDidNotLoad(english).actions[0]!.command, 'workbench.action.reloadWindow');
  });

  it('a model the service does not serve: names it and offers its replacement (else the default) and Choose Model', () => {
    const m = describeError(new MoonTalkError('modelNotFound', 'models/gemini-9-live is not found', { code: 1008, model: 'gemini-9-live' }), redactor, english);
    assert.match(m.text, /"gemini-9-live"/);
    assert.deepEqual(
      m.actions.map((a) => [a.title, a.command, a.args]),
      [
        ['Switch to Gemini 3.8 Live', Commands.chooseModel, [DEFAULT_MODEL]],
        ['Choose Model', Commands.chooseModel, undefined],
        ['Show Logs', Commands.showLogs, undefined],
      ],
    );
    const itself = describeError(new MoonTalkError('modelNotFound', 'x', { code: 1008, model: `models/${DEFAULT_MODEL}` }), redactor, english);
    assert.deepEqual(itself.actions.map((a) => a.title), ['Choose Model', 'Show Logs'], 'switching to the refused model itself cannot help');
  });

  it('a shut-down model: a warning naming model, date and replacement, with the same fixes', () => {
    const m = modelShutDown('models/gemini-2.0-flash-live-001', english);
    assert.equal(m.severity, 'warning');
    assert.equal(
      m.text,
      'The model "gemini-2.0-flash-live-001" (moontalk.model) was shut down on 2025-12-09; Gemini refuses it, so MoonTalk does not connect with it. Switch to Gemini 3.8 Live or choose another model.',
    );
    assert.deepEqual(m.actions.map((a) => [a.command, a.args]), [
      [Commands.chooseModel, [DEFAULT_MODEL]],
      [Commands.chooseModel, undefined],
    ]);
  });
});
