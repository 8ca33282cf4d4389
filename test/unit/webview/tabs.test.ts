import assert from 'node:assert/strict';
import { initialTab, tabAfterKey } from '../../../webview/ui/tabs';

describe('native panel tabs (webview/ui/tabs.ts)', () => {
  const ids = ['token', 'settings', 'debug', 'history'];

  it('shows the remembered tab, else the first', () => {
    assert.equal(initialTab(ids, 'debug'), 'debug');
    assert.equal(initialTab(ids, 'transcript'), 'token'); // the default UI state names a tab that is not here
    assert.equal(initialTab(ids, undefined), 'token');
    assert.equal(initialTab([], 'x'), '');
  });

  const keys: ReadonlyArray<[current: string, key: string, next: string | undefined]> = [
    ['token', 'ArrowRight', 'settings'],
    ['history', 'ArrowRight', 'token'],
    ['token', 'ArrowLeft', 'history'],
    ['debug', 'ArrowLeft', 'settings'],
    ['debug', 'Home', 'token'],
    ['settings', 'End', 'history'],
    ['settings', 'Enter', undefined],
    ['settings', 'a', undefined],
  ];
  for (const [current, key, next] of keys) {
    it(`${key} from ${current} → ${next ?? 'no move'}`, () => assert.equal(tabAfterKey(ids, current, key), next));
  }

  it('moves nowhere with no tabs', () => assert.equal(tabAfterKey([], '', 'ArrowRight'), undefined));
});
