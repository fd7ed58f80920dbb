import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The extension's one log. Operational messages only: rule ids, counts, timings, never values. */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Azure Secure Dev', { log: true });
  return channel;
}
