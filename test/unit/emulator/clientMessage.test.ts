import assert from 'node:assert/strict';
import { parseClientFrame, type ClientMessage, type ProtocolViolation } from '../../../src/emulator/clientMessage';

function setupOf(frame: object) {
  const msg = parseClientFrame(JSON.stringify(frame));
  assert.equal(msg.kind, 'setup', JSON.stringify(msg));
  return (msg as Extract<ClientMessage, { kind: 'setup' }>).setup;
}
function violation(frame: string | object): ProtocolViolation {
  const msg = parseClientFrame(typeof frame === 'string' ? frame : JSON.stringify(frame));
  assert.equal(msg.kind, 'violation');
  return msg as ProtocolViolation;
}

describe('emulator client message parsing', () => {
  it('reads the setup fields the emulator acts on', () => {
    const s = setupOf({
      setup: {
        model: 'models/m',
        generationConfig: { responseModalities: ['TEXT'] },
        systemInstruction: { parts: [{ text: 'be brief' }] },
        sessionResumption: { handle: 'h' },
        contextWindowCompression: { triggerTokens: '25000', slidingWindow: { targetTokens: 12500 } },
        inputAudioTranscription: {},
        realtimeInputConfig: { automaticActivityDetection: { disabled: true } },
      },
    });
    assert.equal(s.responseModality, 'TEXT');
    assert.equal(s.systemInstructionText, 'be brief');
    assert.deepEqual(s.sessionResumption, { handle: 'h' });
    assert.deepEqual(s.compression, { triggerTokens: 25000, targetTokens: 12500 });
    assert.equal(s.inputTranscription, true);
    assert.equal(s.outputTranscription, false);
    assert.equal(s.automaticActivityDetection, false);
    assert.equal(setupOf({ setup: { model: 'models/m' } }).responseModality, 'AUDIO');
    assert.deepEqual(setupOf({ setup: { model: 'models/m', sessionResumption: {} } }).sessionResumption, {});
  });

  it('refuses bad input with the code the real service uses', () => {
    assert.equal(violation('{').code, 1007);
    assert.equal(violation({ setup: { model: 'm' } }).code, 1007);
    assert.equal(violation({ setup: { model: 'models/m', sessionResumption: { handle: null } } }).code, 1008);
    assert.equal(violation({ setup: { model: 'models/m', contextWindowCompression: { triggerTokens: 10, slidingWindow: { targetTokens: 20 } } } }).code, 1007);
    assert.equal(violation({ setup: { model: 'models/m', generationConfig: { responseModalities: ['TEXT', 'AUDIO'] } } }).code, 1007);
    assert.match(violation({ bogus: {} }).reason, /Unknown name "bogus"/);
    assert.equal(violation({ realtimeInput: { audio: { data: 'not base64!' } } }).code, 1007);
  });

  it('reads realtime input, legacy mediaChunks and tool responses', () => {
    const rt = parseClientFrame(JSON.stringify({ realtimeInput: { mediaChunks: [{ data: 'AAAA', mimeType: 'audio/pcm;rate=16000' }, { data: 'AAAA', mimeType: 'image/jpeg' }], audioStreamEnd: true } }));
    assert.equal(rt.kind, 'realtimeInput');
    const input = (rt as Extract<ClientMessage, { kind: 'realtimeInput' }>).input;
    assert.equal(input.audio.length, 1);
    assert.equal(input.video, true);
    assert.equal(input.audioStreamEnd, true);
    const tr = parseClientFrame(Buffer.from(JSON.stringify({ toolResponse: { functionResponses: [{ id: 'function-call-1', name: 'f', response: { a: 1 } }] } })));
    assert.deepEqual(tr, { kind: 'toolResponse', responses: [{ id: 'function-call-1', name: 'f', response: { a: 1 } }] });
  });
});
