import assert from 'node:assert/strict';
import {
  DEFAULT_COMPRESSION,
  contextWindowTokens,
  targetTokens,
  toWireCompression,
  validateCompression,
  type CompressionConfig,
} from '../../../src/core/compression';

const HALF_CASCADE = 'gemini-live-2.5-flash-preview';
const NATIVE_AUDIO = 'gemini-2.5-flash-native-audio-preview-12-2025';

function config(overrides: Partial<CompressionConfig> = {}): CompressionConfig {
  return { ...DEFAULT_COMPRESSION, ...overrides };
}

describe('compression config', () => {
  it('sends int64 counts as strings, with target = floor(trigger × ratio)', () => {
    assert.deepEqual(toWireCompression(config({ triggerTokens: 25_000, compressionRatio: 0.5 })), {
      triggerTokens: '25000',
      slidingWindow: { targetTokens: '12500' },
    });
    assert.deepEqual(toWireCompression(config({ triggerTokens: 1_001, compressionRatio: 0.3 })), {
      triggerTokens: '1001',
      slidingWindow: { targetTokens: '300' },
    });
    assert.equal(targetTokens(config({ triggerTokens: 7, compressionRatio: 0.99 })), 6);
  });

  it('leaves out the sliding window when it is not used', () => {
    assert.deepEqual(toWireCompression(config({ useSlidingWindow: false, triggerTokens: 9_000 })), { triggerTokens: '9000' });
  });

  it('gives no wire value when disabled', () => {
    assert.equal(toWireCompression(config({ enabled: false })), undefined);
  });

  it('accepts the defaults for both model families', () => {
    assert.equal(validateCompression(DEFAULT_COMPRESSION, HALF_CASCADE), undefined);
    assert.equal(validateCompression(DEFAULT_COMPRESSION, NATIVE_AUDIO), undefined);
  });

  it('rejects a trigger of 0 or less, or not a whole number, naming triggerTokens', () => {
    for (const triggerTokens of [0, -5, 1.5, Number.NaN]) {
      const error = validateCompression(config({ triggerTokens }), HALF_CASCADE);
      assert.match(error ?? '', /compression\.triggerTokens must be a whole number greater than 0/, `trigger ${triggerTokens}`);
    }
  });

  it('rejects a ratio outside (0, 1), naming compressionRatio', () => {
    for (const compressionRatio of [0, 1, -0.1, 1.5, Number.NaN]) {
      const error = validateCompression(config({ compressionRatio }), HALF_CASCADE);
      assert.match(error ?? '', /compression\.compressionRatio must be between 0 and 1, exclusive/, `ratio ${compressionRatio}`);
    }
  });

  it('rejects a ratio that leaves a target of 0 tokens', () => {
    assert.match(validateCompression(config({ triggerTokens: 1, compressionRatio: 0.5 }), HALF_CASCADE) ?? '', /target of 0 tokens/);
  });

  it('rejects a trigger above the context window from the table of models: 32k for the shut-down 2.x models, 128k for native audio', () => {
    assert.equal(contextWindowTokens(HALF_CASCADE), 32_768);
    assert.equal(contextWindowTokens(NATIVE_AUDIO), 128_000);
    assert.equal(validateCompression(config({ triggerTokens: 32_768 }), HALF_CASCADE), undefined);
    assert.match(
      validateCompression(config({ triggerTokens: 32_769 }), HALF_CASCADE) ?? '',
      /compression\.triggerTokens \(32769\) exceeds the context window of gemini-live-2\.5-flash-preview \(32768 tokens\)/,
    );
    assert.equal(validateCompression(config({ triggerTokens: 100_000 }), NATIVE_AUDIO), undefined);
    assert.match(validateCompression(config({ triggerTokens: 128_001 }), NATIVE_AUDIO) ?? '', /128000 tokens/);
  });
});
