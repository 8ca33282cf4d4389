import assert from 'node:assert/strict';
import { redactKeyPieces } from '../../../src/broker/redactKeyPieces';

const KEY = 'AIzaFAKEq7Wz9XvK2mN4pR8tL0bJ3hD6cYxQ';

describe('redactKeyPieces', () => {
  it('removes any 5-character piece of the key, however it was cut, and leaves other text alone', () => {
    const text = `bad key ${KEY.slice(0, 9)}… and …${KEY.slice(11, 16)} end; also ${KEY}`;
    const out = redactKeyPieces(text, [KEY]);
    for (let i = 0; i + 5 <= KEY.length; i++) assert.ok(!out.includes(KEY.slice(i, i + 5)), `${KEY.slice(i, i + 5)} left in ${out}`);
    assert.equal(out, 'bad key <redacted>… and …<redacted> end; also <redacted>');
  });

  it('keeps 4-character coincidences (the contract allows them) and text with no secret', () => {
    assert.equal(redactKeyPieces(`x ${KEY.slice(3, 7)} y`, [KEY]), `x ${KEY.slice(3, 7)} y`);
    assert.equal(redactKeyPieces('nothing here', []), 'nothing here');
  });
});
