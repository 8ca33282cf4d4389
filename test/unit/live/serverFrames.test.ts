import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeFrameData, parseServerFrame } from '../../../src/live/serverFrames';

const RECORDINGS = '/work/shared/fixtures/live-recordings';

interface RecordedFrame {
  declaredBytes: number;
  text: string;
}

/** Server frames of a recording: a line `<N {` starts a pretty-printed frame that ends at a line `}`. */
function serverFrames(log: string): RecordedFrame[] {
  const lines = log.split('\n');
  const frames: RecordedFrame[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^<(\d+) \{$/.exec(lines[i]!);
    if (!m) continue;
    const body = ['{'];
    for (i++; i < lines.length && lines[i] !== '}'; i++) body.push(lines[i]!);
    assert.ok(i < lines.length, 'a server frame is not terminated');
    body.push('}');
    frames.push({ declaredBytes: Number(m[1]), text: body.join('\n') });
  }
  return frames;
}

describe('parseServerFrame', () => {
  describe('recorded real traffic', () => {
    const files = readdirSync(RECORDINGS).filter((f) => f.endsWith('.websocket.log'));

    it('has recordings to check', () => {
      assert.ok(files.length >= 10, `found ${files.length}`);
    });

    for (const file of files) {
      it(`parses every server frame of ${file}`, () => {
        const frames = serverFrames(readFileSync(join(RECORDINGS, file), 'utf8'));
        assert.ok(frames.length > 0, 'no server frames found');
        for (const f of frames) {
          // The recorder's byte count is the pretty-printed frame plus its separator.
          assert.ok(Math.abs(Buffer.byteLength(f.text) - f.declaredBytes) <= 2, `size ${Buffer.byteLength(f.text)} vs declared ${f.declaredBytes}`);
          for (const data of [f.text, Buffer.from(f.text), new TextEncoder().encode(f.text).buffer]) {
            const result = parseServerFrame(data);
            assert.ok(result.ok, `${file}: ${result.ok ? '' : result.error}\n${f.text}`);
            // Nothing known is lost: each known field of the recording is in the frame.
            const raw = JSON.parse(f.text) as Record<string, unknown>;
            for (const key of Object.keys(raw)) assert.ok(key in result.frame, `${key} missing`);
          }
        }
      });
    }

    it('the first server frame of each recording is setupComplete', () => {
      for (const file of files) {
        const [first] = serverFrames(readFileSync(join(RECORDINGS, file), 'utf8'));
        const r = parseServerFrame(first!.text);
        assert.ok(r.ok && r.frame.setupComplete, file);
      }
    });
  });

  it('turns int64 strings in usageMetadata into numbers and keeps other fields', () => {
    const r = parseServerFrame(
      JSON.stringify({
        serverContent: { turnComplete: true },
        usageMetadata: { promptTokenCount: '515', responseTokenCount: 38, totalTokenCount: '553', promptTokensDetails: [{ modality: 'TEXT', tokenCount: 515 }] },
      }),
    );
    assert.ok(r.ok);
    assert.equal(r.frame.usageMetadata?.promptTokenCount, 515);
    assert.equal(r.frame.usageMetadata?.totalTokenCount, 553);
    assert.equal(r.frame.usageMetadata?.responseTokenCount, 38);
    assert.deepEqual(r.frame.usageMetadata?.promptTokensDetails, [{ modality: 'TEXT', tokenCount: 515 }]);
  });

  it('keeps goAway, sessionResumptionUpdate and tool frames', () => {
    const r = parseServerFrame('{"goAway":{"timeLeft":"10s"},"sessionResumptionUpdate":{"newHandle":"h","resumable":true}}');
    assert.ok(r.ok);
    assert.deepEqual(r.frame.goAway, { timeLeft: '10s' });
    assert.deepEqual(r.frame.sessionResumptionUpdate, { newHandle: 'h', resumable: true });
    const t = parseServerFrame('{"toolCall":{"functionCalls":[{"id":"1","name":"f","args":{}}]}}');
    assert.ok(t.ok && t.frame.toolCall?.functionCalls?.[0]?.name === 'f');
  });

  it('drops unknown top-level fields', () => {
    const r = parseServerFrame('{"setupComplete":{},"somethingNew":{"x":1}}');
    assert.ok(r.ok);
    assert.deepEqual(r.frame, { setupComplete: {} });
  });

  it('gives an error naming the field for wrong shapes', () => {
    const cases: Array<[unknown, RegExp]> = [
      ['nope', /not JSON/],
      ['[1,2]', /not a JSON object/],
      ['null', /not a JSON object/],
      [42, /neither text nor bytes/],
      ['{"serverContent":5}', /serverContent must be an object/],
      ['{"setupComplete":[]}', /setupComplete must be an object/],
      ['{"serverContent":{"modelTurn":{"parts":{}}}}', /serverContent\.modelTurn\.parts must be an array/],
      ['{"serverContent":{"modelTurn":{"parts":[1]}}}', /serverContent\.modelTurn\.parts must hold objects/],
      ['{"serverContent":{"outputTranscription":{"text":3}}}', /serverContent\.outputTranscription\.text/],
      ['{"serverContent":{"inputTranscription":"x"}}', /serverContent\.inputTranscription\.text/],
      ['{"usageMetadata":{"totalTokenCount":"12a"}}', /usageMetadata\.totalTokenCount must be a number/],
      ['{"usageMetadata":{"promptTokenCount":true}}', /usageMetadata\.promptTokenCount/],
      ['{"goAway":{"timeLeft":{}}}', /goAway\.timeLeft/],
      ['{"sessionResumptionUpdate":{"newHandle":5}}', /sessionResumptionUpdate\.newHandle/],
      ['{"toolCall":{"functionCalls":[1]}}', /toolCall\.functionCalls/],
      ['{"toolCallCancellation":{"ids":[1]}}', /toolCallCancellation\.ids/],
    ];
    for (const [data, pattern] of cases) {
      const r = parseServerFrame(data);
      assert.equal(r.ok, false, `accepted ${String(data)}`);
      if (!r.ok) assert.match(r.error, pattern, String(data));
    }
  });

  it('decodes text, Buffer, ArrayBuffer, typed-array views and Buffer fragments', () => {
    const text = '{"setupComplete":{}}';
    const bytes = Buffer.from(`xx${text}yy`);
    assert.equal(decodeFrameData(text), text);
    assert.equal(decodeFrameData(new Uint8Array(bytes.buffer, bytes.byteOffset + 2, text.length)), text);
    assert.equal(decodeFrameData([Buffer.from(text.slice(0, 5)), Buffer.from(text.slice(5))]), text);
    assert.equal(decodeFrameData({}), undefined);
  });

  describe('never throws', () => {
    const check = (data: unknown) => {
      const r = parseServerFrame(data);
      assert.equal(typeof r.ok, 'boolean');
      if (!r.ok) assert.equal(typeof r.error, 'string');
    };

    it('for arbitrary strings', () => {
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check), { numRuns: 500 });
    });

    it('for arbitrary JSON values, as text and as values', () => {
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
          check(JSON.stringify(v));
          check(v);
        }),
        { numRuns: 500 },
      );
    });

    it('for arbitrary frame-shaped JSON (known fields with random values)', () => {
      const fields = ['setupComplete', 'serverContent', 'toolCall', 'toolCallCancellation', 'usageMetadata', 'goAway', 'sessionResumptionUpdate'];
      const inner = fc.dictionary(
        fc.constantFrom('modelTurn', 'parts', 'text', 'turnComplete', 'totalTokenCount', 'timeLeft', 'newHandle', 'ids', 'functionCalls', 'inputTranscription', 'outputTranscription'),
        fc.jsonValue({ maxDepth: 3 }),
      );
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...fields), fc.oneof(inner, fc.jsonValue({ maxDepth: 2 }))), (obj) => check(JSON.stringify(obj))),
        { numRuns: 500 },
      );
    });

    it('for arbitrary bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
          check(bytes);
          check(bytes.buffer);
          check([Buffer.from(bytes)]);
        }),
        { numRuns: 500 },
      );
    });
  });
});
