import * as vscode from 'vscode';
import type { UserMessage } from './userMessages';

/**
 * Shows `message` as a notification and runs the button the user picks.
 * Resolves when the notification is dismissed (not awaited by callers that must not block).
 */
export async function showUserMessage(message: UserMessage): Promise<void> {
  const titles = message.actions.map((a) => a.title);
  const show =
    message.severity === 'error' ? vscode.window.showErrorMessage : message.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const picked = await show(message.text, ...titles);
  const action = message.actions.find((a) => a.title === picked);
  if (!action) return;
  // A link ("Get a Key"): the message carries the URL as text (userMessages.ts has no vscode).
  if (action.command === 'vscode.open') {
    const url = action.args?.[0];
    if (typeof url === 'string') await vscode.env.openExternal(vscode.Uri.parse(url));
    return;
  }
  await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
}
