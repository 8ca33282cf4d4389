import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MODEL, LIVE_MODELS } from '../../../src/core/models';
import { modelSettingSchema } from '../../../src/extension/models/modelSetting';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

describe('the moontalk.model setting', () => {
  const setting = pkg.contributes.configuration.properties['moontalk.model'];

  it('is what the model table says (regenerate: npx tsx scripts/modelSetting.ts)', () => {
    const owned = modelSettingSchema();
    for (const key of Object.keys(owned) as Array<keyof typeof owned>) assert.deepEqual(setting[key], owned[key], key);
    assert.equal(setting.markdownDescription, '%moontalk.config.model%');
  });

  it('defaults to the table default, suggests every model still served with its description, and accepts any other name', () => {
    assert.equal(setting.default, DEFAULT_MODEL);
    assert.equal(setting.type, 'string');
    assert.equal(setting.enum, undefined, 'a top-level enum would refuse names the table does not know');
    const [choices, free] = setting.anyOf;
    assert.deepEqual(free, { type: 'string' });
    const served = LIVE_MODELS.filter((m) => m.status.kind !== 'shutDown');
    assert.deepEqual(choices.enum, served.map((m) => m.id));
    assert.equal(choices.enumDescriptions.length, choices.enum.length);
    choices.enum.forEach((id: string, i: number) => assert.ok(choices.enumDescriptions[i].includes(LIVE_MODELS.find((m) => m.id === id)!.description), id));
    for (const m of LIVE_MODELS.filter((x) => x.status.kind === 'shutDown')) assert.ok(!choices.enum.includes(m.id), `${m.id} is shut down`);
  });

  it('describes itself with the default and links Choose Model', () => {
    const text = nls['moontalk.config.model'];
    assert.ok(text?.includes(`\`${DEFAULT_MODEL}\``), text);
    assert.ok(text?.includes('command:moontalk.chooseModel'), text);
  });
});
