/**
 * Whether a tool call may run now, decided at call time. The declarations are withheld when
 * tools are off or the workspace is untrusted (settings.ts), but a session set up before the
 * user changed that keeps its declarations until the next setup, and the model may still call
 * them. Pure: the state comes in as plain values.
 */

export interface ToolGateState {
  /** `moontalk.tools.enabled` as it is now (settings.ts reads it false in an untrusted workspace). */
  toolsEnabled: boolean;
  /** `vscode.workspace.isTrusted` as it is now. */
  workspaceTrusted: boolean;
}

/** The reason the model reads when a call must not run, else undefined. */
export function toolCallRefusal(state: ToolGateState): string | undefined {
  // Trust first: in Restricted Mode the setting reads false too, and trust is the real reason.
  if (!state.workspaceTrusted) return 'The editor tools are off in Restricted Mode: the user has not trusted this workspace.';
  if (!state.toolsEnabled) return 'The editor tools are turned off (moontalk.tools.enabled); the user has to turn them on first.';
  return undefined;
}
