import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SettingKeys } from '../../../src/extension/constants';
import { NUMBER_SETTING_BOUNDS, USER_ONLY_SETTINGS, checkNumberSetting, effectiveSetting, type NumberSettingKey } from '../../../src/extension/settingPolicy';

interface SchemaEntry {
  type: string;
  scope?: string;
  minimum?: number;
  maximum?: number;
}

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SchemaEntry> } };
  capabilities?: { untrustedWorkspaces?: { supported: unknown; restrictedConfigurations?: string[] }; virtualWorkspaces?: unknown };
};
const schema = pkg.contributes.configuration.properties;

describe('setting policy (settingPolicy.ts against package.json)', () => {
  it('has the same bounds as package.json for every numeric setting, and misses none', () => {
    const numeric = Object.entries(schema).filter(([, e]) => e.type === 'integer' || e.type === 'number');
    assert.deepEqual(Object.keys(NUMBER_SETTING_BOUNDS).map((k) => `moontalk.${k}`).sort(), numeric.map(([k]) => k).sort());
    for (const [fullKey, entry] of numeric) {
      const b = NUMBER_SETTING_BOUNDS[fullKey.slice('moontalk.'.length) as NumberSettingKey];
      assert.deepEqual({ min: b.min, max: b.max, integer: b.integer }, { min: entry.minimum, max: entry.maximum, integer: entry.type === 'integer' }, fullKey);
    }
  });

  it('scopes every setting, and the user-only ones so that no workspace can set them', () => {
    for (const [key, entry] of Object.entries(schema)) assert.ok(entry.scope, `${key} has no scope`);
    for (const key of USER_ONLY_SETTINGS) {
      assert.ok(['application', 'machine'].includes(schema[`moontalk.${key}`]!.scope!), `moontalk.${key} is scoped ${schema[`moontalk.${key}`]!.scope}`);
    }
    // Anything a workspace can set is not user-only: the two lists agree.
    for (const [key, entry] of Object.entries(schema)) {
      if (entry.scope === 'application' || entry.scope === 'machine') assert.ok(USER_ONLY_SETTINGS.has(key.slice('moontalk.'.length) as never), `${key} is ${entry.scope} but read from the workspace`);
    }
  });

  it('declares limited support for untrusted and virtual workspaces, restricting every user-only setting', () => {
    const untrusted = pkg.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    for (const key of USER_ONLY_SETTINGS) assert.ok(untrusted?.restrictedConfigurations?.includes(`moontalk.${key}`), `moontalk.${key} is not restricted`);
    for (const key of untrusted?.restrictedConfigurations ?? []) assert.ok(schema[key], `${key} is restricted but not a setting`);
    assert.deepEqual(Object.keys(pkg.capabilities?.virtualWorkspaces as object).sort(), ['description', 'supported']);
  });

  it('reads a user-only setting from the user value or the default, never from the workspace', () => {
    const inspected = { defaultValue: '', globalValue: 'https://mine.example', workspaceValue: 'http://127.0.0.1:9/steal' };
    // Even when get() (an old VS Code) merged the workspace value in.
    assert.equal(effectiveSetting(SettingKeys.baseUrl, 'http://127.0.0.1:9/steal', inspected), 'https://mine.example');
    assert.equal(effectiveSetting(SettingKeys.baseUrl, 'http://127.0.0.1:9/steal', { defaultValue: '', workspaceValue: 'http://127.0.0.1:9/steal' }), '');
    assert.deepEqual(effectiveSetting(SettingKeys.toolsAllowedCommands, ['evil'], { defaultValue: ['a'], workspaceFolderValue: ['evil'] }), ['a']);
    assert.equal(effectiveSetting(SettingKeys.audioRecorder, '/tmp/x', { defaultValue: 'auto', workspaceValue: '/tmp/x' }), 'auto');
    assert.equal(effectiveSetting(SettingKeys.backend, 'gemini', { defaultValue: 'emulator', workspaceValue: 'gemini' }), 'emulator');
    assert.equal(effectiveSetting(SettingKeys.tokensBrokerUrl, 'http://x', { defaultValue: '', workspaceValue: 'http://x' }), '');
  });

  it('lets a workspace turn the tools off and read-only confirmation on, never the reverse', () => {
    assert.equal(effectiveSetting(SettingKeys.toolsEnabled, false, { defaultValue: true, workspaceValue: false }), false);
    assert.equal(effectiveSetting(SettingKeys.toolsEnabled, true, { defaultValue: true, globalValue: false, workspaceValue: true }), false);
    assert.equal(effectiveSetting(SettingKeys.toolsEnabled, true, { defaultValue: true }), true);
    // Google Search likewise: a repository cannot send the conversation's questions to Search
    // when the user turned it off.
    assert.equal(effectiveSetting(SettingKeys.toolsGoogleSearch, true, { defaultValue: true, globalValue: false, workspaceValue: true }), false);
    assert.equal(effectiveSetting(SettingKeys.toolsGoogleSearch, false, { defaultValue: true, workspaceValue: false }), false);
    assert.equal(effectiveSetting(SettingKeys.toolsGoogleSearch, true, { defaultValue: true }), true);
    assert.equal(effectiveSetting(SettingKeys.toolsConfirmReadOnly, false, { defaultValue: false, globalValue: true, workspaceValue: false }), true);
    assert.equal(effectiveSetting(SettingKeys.toolsConfirmReadOnly, true, { defaultValue: false, workspaceValue: true }), true);
    // Other settings: the merged value, workspace included.
    assert.equal(effectiveSetting(SettingKeys.model, 'm-workspace', { defaultValue: 'm', workspaceValue: 'm-workspace' }), 'm-workspace');
  });

  it('checks a number against its bounds, naming the setting', () => {
    assert.equal(checkNumberSetting(SettingKeys.compressionTriggerTokens, 25_000), undefined);
    assert.match(checkNumberSetting(SettingKeys.compressionTriggerTokens, 1e15)!, /moontalk\.compression\.triggerTokens must be a whole number from 1000 to 128000/);
    assert.ok(checkNumberSetting(SettingKeys.compressionTriggerTokens, 2_000.5));
    assert.ok(checkNumberSetting(SettingKeys.compressionRatio, Number.NaN));
    assert.equal(checkNumberSetting(SettingKeys.compressionRatio, 0.5), undefined);
    assert.ok(checkNumberSetting(SettingKeys.compressionRatio, '0.5'));
  });
});
