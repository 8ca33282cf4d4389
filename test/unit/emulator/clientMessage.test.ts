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

  it('reads realtime input, marks legacy mediaChunks (refused later, per model), and tool responses', () => {
    const rt = parseClientFrame(JSON.stringify({ realtimeInput: { mediaChunks: [{ data: 'AAAA', mimeType: 'audio/pcm;rate=16000' }, { data: 'AAAA', mimeType: 'image/jpeg' }], audioStreamEnd: true } }));
    assert.equal(rt.kind, 'realtimeInput');
    const input = (rt as Extract<ClientMessage, { kind: 'realtimeInput' }>).input;
    assert.equal(input.audio.length, 1);
    assert.equal(input.video, true);
    assert.equal(input.audioStreamEnd, true);
    assert.equal(input.mediaChunks, true);
    const tr = parseClientFrame(Buffer.from(JSON.stringify({ toolResponse: { functionResponses: [{ id: 'function-call-1', name: 'f', response: { a: 1 } }] } })));
    assert.deepEqual(tr, { kind: 'toolResponse', responses: [{ id: 'function-call-1', name: 'f', response: { a: 1 }, scheduling: undefined, willContinue: false }] });
    const nb = parseClientFrame(JSON.stringify({ toolResponse: { functionResponses: [{ id: 'x', response: {}, scheduling: 'INTERRUPT', willContinue: true }] } }));
    assert.deepEqual((nb as Extract<ClientMessage, { kind: 'toolResponse' }>).responses[0], { id: 'x', name: '', response: {}, scheduling: 'INTERRUPT', willContinue: true });
    assert.equal(violation({ toolResponse: { functionResponses: [{ id: 'x', scheduling: 'LATER' }] } }).code, 1007);
  });

  // Protobuf JSON takes proto field names (snake_case) as well as JSON names (python clients send them).
  it('reads snake_case field names like camelCase, leaving user data (args, response, schemas) alone', () => {
    const s = setupOf({
      setup: {
        model: 'models/m',
        generation_config: { response_modalities: ['TEXT'], thinking_config: { thinking_level: 'LOW' } },
        session_resumption: {},
        context_window_compression: { trigger_tokens: '100', sliding_window: { target_tokens: '50' } },
        output_audio_transcription: {},
        history_config: { initial_history_in_client_content: true },
        tools: [{ function_declarations: [{ name: 'get_x', behavior: 'NON_BLOCKING', parameters: { type: 'OBJECT', properties: { city_name: { type: 'STRING' } } } }] }],
      },
    });
    assert.equal(s.responseModality, 'TEXT');
    assert.deepEqual(s.thinkingConfig, { thinkingLevel: 'LOW', thinkingBudget: undefined });
    assert.deepEqual(s.compression, { triggerTokens: 100, targetTokens: 50 });
    assert.equal(s.outputTranscription, true);
    assert.equal(s.initialHistoryInClientContent, true);
    assert.deepEqual(s.functionDeclarations, [{ name: 'get_x', behavior: 'NON_BLOCKING' }]);
    const raw = (s.raw['tools'] as any)[0].functionDeclarations[0].parameters;
    assert.deepEqual(Object.keys(raw.properties), ['city_name']);
    const tr = parseClientFrame(JSON.stringify({ tool_response: { function_responses: [{ id: 'a', response: { temp_c: 1 }, will_continue: true }] } }));
    assert.deepEqual((tr as Extract<ClientMessage, { kind: 'toolResponse' }>).responses[0]!.response, { temp_c: 1 });
    assert.equal((tr as Extract<ClientMessage, { kind: 'toolResponse' }>).responses[0]!.willContinue, true);
    const cc = parseClientFrame(JSON.stringify({ client_content: { turns: [{ role: 'user', parts: [{ text: 'hi' }] }], turn_complete: true } }));
    assert.deepEqual(cc, { kind: 'clientContent', turns: [{ role: 'user', text: 'hi' }], turnComplete: true });
    const rt = parseClientFrame(JSON.stringify({ realtime_input: { audio_stream_end: true } }));
    assert.equal((rt as Extract<ClientMessage, { kind: 'realtimeInput' }>).input.audioStreamEnd, true);
  });

  // generativelanguage v1beta FunctionDeclaration.name; LIVE-PROTOCOL.md "Function declarations".
  it('validates function declaration names: letters, digits, _ . : -, at most 64 characters', () => {
    for (const name of ['a', 'get_weather', 'ns.tool:v1-2', 'x'.repeat(64)]) {
      assert.deepEqual(setupOf({ setup: { model: 'models/m', tools: [{ functionDeclarations: [{ name }] }] } }).functionDeclarations.map((d) => d.name), [name]);
    }
    for (const name of ['', 'has space', 'x'.repeat(65), 'semi;colon', 'slash/x', 'ünï']) {
      assert.equal(violation({ setup: { model: 'models/m', tools: [{ functionDeclarations: [{ name }] }] } }).code, 1007, name);
    }
    assert.equal(violation({ setup: { model: 'models/m', tools: [{ functionDeclarations: [{ description: 'no name' }] }] } }).code, 1007);
    assert.equal(violation({ setup: { model: 'models/m', tools: [{ functionDeclarations: [{ name: 'f', behavior: 'SOMETIMES' }] }] } }).code, 1007);
  });

  // generativelanguage v1beta Schema (proto JSON: unknown fields are refused); src/emulator/declarationSchema.ts.
  it('refuses parameters outside the Schema subset as the service does (1007), and takes what it allows', () => {
    const setup = (parameters: object) => ({ setup: { model: 'models/m', tools: [{ functionDeclarations: [{ name: 'f', description: 'd', parameters }] }] } });
    const ok = {
      type: 'object',
      properties: { a: { type: 'STRING', enum: ['x'], nullable: true }, b: { type: 'ARRAY', items: { type: 'INTEGER', minimum: 1 } }, c: { anyOf: [{ type: 'NUMBER' }, { type: 'BOOLEAN' }] } },
      required: ['a'],
    };
    assert.deepEqual(setupOf(setup(ok)).functionDeclarations.map((d) => d.name), ['f']);
    for (const [bad, field] of [
      [{ type: 'OBJECT', additionalProperties: false, properties: { a: { type: 'STRING' } } }, 'additionalProperties'],
      [{ type: 'OBJECT', properties: { a: { $ref: '#/$defs/A' } } }, '$ref'],
      [{ type: 'OBJECT', properties: { a: { oneOf: [{ type: 'STRING' }] } } }, 'oneOf'],
      [{ type: 'OBJECT', properties: { a: { type: 'STRING', const: 'x' } } }, 'const'],
      [{ type: 'OBJECT', properties: { a: { type: 'ARRAY', items: { type: 'STRING', uniqueItems: true } } } }, 'uniqueItems'],
    ] as const) {
      const v = violation(setup(bad));
      assert.equal(v.code, 1007);
      assert.ok(v.reason.includes(`Unknown name "${field}"`), `${field}: ${v.reason}`);
    }
    assert.match(violation(setup({ type: 'OBJECT', properties: { a: { type: 'text' } } })).reason, /Invalid value at .*properties\[a\]\.type/);
    assert.equal(violation(setup({ type: 'OBJECT', properties: { a: { type: 'INTEGER', enum: [1, 2] } } })).code, 1007);
    assert.equal(violation({ setup: { model: 'models/m', tools: [{ functionDeclarations: [{ name: 'f', inputSchema: {} }] }] } }).code, 1007);
  });

  it('refuses more than 64 function declarations across the tools of a setup', () => {
    const decls = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ name: `f${from + i}` }));
    assert.equal(setupOf({ setup: { model: 'models/m', tools: [{ functionDeclarations: decls(40) }, { functionDeclarations: decls(24, 40) }] } }).functionDeclarations.length, 64);
    const v = violation({ setup: { model: 'models/m', tools: [{ functionDeclarations: decls(40) }, { functionDeclarations: decls(25, 40) }] } });
    assert.equal(v.code, 1007);
    assert.match(v.reason, /At most 64 function declarations/);
  });
});
