import assert from 'node:assert/strict';
import { toolCallRefusal } from '../../../src/extension/tools/toolGate';

describe('tool gate: whether a call may run now', () => {
  it('refuses every call once the user turned tools off, even though the session declared them', () => {
    assert.match(toolCallRefusal({ toolsEnabled: false, workspaceTrusted: true }) ?? '', /turned off \(moontalk\.tools\.enabled\)/);
  });

  it('names Restricted Mode when the workspace is untrusted (the setting then reads off too)', () => {
    assert.match(toolCallRefusal({ toolsEnabled: false, workspaceTrusted: false }) ?? '', /Restricted Mode/);
    assert.match(toolCallRefusal({ toolsEnabled: true, workspaceTrusted: false }) ?? '', /Restricted Mode/);
  });

  it('lets calls run when tools are on in a trusted workspace', () => {
    assert.equal(toolCallRefusal({ toolsEnabled: true, workspaceTrusted: true }), undefined);
  });
});
