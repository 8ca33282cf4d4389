/**
 * The settings the panel edits have the bounds and choices the settings schema
 * (package.json `contributes.configuration`) declares: the panel refuses exactly what
 * VS Code's settings editor refuses.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { COMPRESSION_RATIO_BOUNDS, RESPONSE_MODALITIES, TRIGGER_TOKENS_BOUNDS } from '../../../src/protocol/panelSettings';
import { SettingsViewSchema } from '../../../src/protocol/messages';
import { checkCompressionRatio, checkTriggerTokens } from '../../../webview/ui/format';

interface SchemaEntry {
  type: string;
  minimum?: number;
  maximum?: number;
  enum?: string[];
}
const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, SchemaEntry> } | Array<{ properties: Record<string, SchemaEntry> }> } };
const configs = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
const schema: Record<string, SchemaEntry> = Object.assign({}, ...configs.map((c) => c.properties));

/** Each field of the panel's Settings (SettingsView) and the setting it writes. */
const PANEL_FIELDS = {
  'compression.enabled': 'moontalk.compression.enabled',
  'compression.triggerTokens': 'moontalk.compression.triggerTokens',
  'compression.compressionRatio': 'moontalk.compression.compressionRatio',
  'compression.useSlidingWindow': 'moontalk.compression.useSlidingWindow',
  resumption: 'moontalk.resumption.enabled',
  useEphemeralTokens: 'moontalk.tokens.enabled',
  responseModality: 'moontalk.responseModality',
  voiceProcessing: 'moontalk.audio.voiceProcessing',
} as const;

describe('the panel settings match the settings schema', () => {
  it('maps every field of the panel settings to a declared setting', () => {
    const compression = SettingsViewSchema.entries.compression.entries;
    const fields = [...Object.keys(compression).map((k) => `compression.${k}`), ...Object.keys(SettingsViewSchema.entries).filter((k) => k !== 'compression')].sort();
    assert.deepEqual(fields, Object.keys(PANEL_FIELDS).sort());
    for (const key of Object.values(PANEL_FIELDS)) assert.ok(schema[key], `${key} is in package.json`);
  });

  it('uses the numeric bounds of package.json', () => {
    for (const [key, bounds] of [
      ['moontalk.compression.triggerTokens', TRIGGER_TOKENS_BOUNDS],
      ['moontalk.compression.compressionRatio', COMPRESSION_RATIO_BOUNDS],
    ] as const) {
      const entry = schema[key]!;
      assert.deepEqual({ min: bounds.min, max: bounds.max, integer: bounds.integer }, { min: entry.minimum, max: entry.maximum, integer: entry.type === 'integer' }, key);
    }
  });

  it('offers the response modalities of package.json', () => {
    assert.deepEqual([...RESPONSE_MODALITIES], schema['moontalk.responseModality']!.enum);
  });

  it('its field checks accept the bounds and refuse one step beyond them', () => {
    const { min, max } = TRIGGER_TOKENS_BOUNDS;
    assert.deepEqual(checkTriggerTokens(String(min)), { ok: true, value: min });
    assert.deepEqual(checkTriggerTokens(String(max)), { ok: true, value: max });
    assert.equal(checkTriggerTokens(String(min - 1)).ok, false);
    assert.equal(checkTriggerTokens(String(max + 1)).ok, false);
    const r = COMPRESSION_RATIO_BOUNDS;
    assert.deepEqual(checkCompressionRatio(String(r.min)), { ok: true, value: r.min });
    assert.deepEqual(checkCompressionRatio(String(r.max)), { ok: true, value: r.max });
    assert.equal(checkCompressionRatio(String(r.min - 0.01)).ok, false);
    assert.equal(checkCompressionRatio(String(r.max + 0.01)).ok, false);
  });

  it('booleans of the panel are booleans in the schema', () => {
    for (const key of ['compression.enabled', 'compression.useSlidingWindow', 'resumption', 'useEphemeralTokens', 'voiceProcessing'] as const) assert.equal(schema[PANEL_FIELDS[key]]!.type, 'boolean', key);
  });
});
