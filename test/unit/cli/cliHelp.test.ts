import assert from 'node:assert/strict';
import { asksForHelp, didYouMean, withFlagHint } from '../../../src/cli/cliHelp';

describe('CLI help and "did you mean" (cliHelp.ts)', () => {
  const commands = ['chat', 'emulator', 'broker', 'token'];
  const rows: ReadonlyArray<[string, string | undefined]> = [
    ['chta', 'chat'],
    ['caht', 'chat'],
    ['emu', 'emulator'],
    ['tokne', 'token'],
    ['borker', 'broker'],
    ['dance', undefined],
    ['x', undefined],
    ['', undefined],
  ];
  for (const [input, want] of rows) {
    it(`"${input}" → ${want ?? 'no suggestion'}`, () => assert.equal(didYouMean(input, commands), want));
  }

  it('turns parseArgs\' unknown-option error into a hint from the real flags', () => {
    const flags = ['base-url', 'model', 'auth', 'text'];
    assert.equal(withFlagHint("Unknown option '--bse-url'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--bse-url\"", flags), 'unknown flag --bse-url; did you mean --base-url?');
    assert.equal(withFlagHint("Unknown option '--zzz'.", flags), 'unknown flag --zzz');
    assert.equal(withFlagHint("Option '--model <value>' argument missing", flags), "Option '--model <value>' argument missing");
  });

  it('help is asked for before a "--", not after it', () => {
    assert.equal(asksForHelp(['--text', '--help']), true);
    assert.equal(asksForHelp(['-h']), true);
    assert.equal(asksForHelp(['--', '--help']), false);
    assert.equal(asksForHelp(['--text']), false);
  });
});
