import * as vscode from 'vscode';

/**
 * The prompts a flow shows, behind one small interface. The extension uses VS Code's own; integration
 * tests script the answers through the extension's API (as the Azure extensions' TestUserInput does), so an
 * unexpected prompt fails fast instead of hanging.
 */
export interface UserInput {
  showQuickPick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  /**
   * A modal question; resolves to the chosen button or undefined when dismissed. With `safe`, that harmless
   * button comes first, so Enter chooses it and `button` needs an explicit click (writes to a live resource).
   */
  confirm(message: string, detail: string, button: string, safe?: string): Thenable<string | undefined>;
  /** A non-modal notification; never waits for the user. */
  notify(level: 'info' | 'warning' | 'error', message: string): void;
}

export const vscodeUserInput: UserInput = {
  showQuickPick: (items, options) => vscode.window.showQuickPick(items, options),
  showInputBox: (options) => vscode.window.showInputBox(options),
  // The first button is the dialog's default (Enter); Cancel is added last by VS Code.
  confirm: (message, detail, button, safe) => vscode.window.showInformationMessage(message, { modal: true, detail }, ...(safe ? [safe, button] : [button])),
  notify: (level, message) => {
    const show = level === 'error' ? vscode.window.showErrorMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(message);
  },
};

let current: UserInput = vscodeUserInput;

export function userInput(): UserInput {
  return current;
}

/** Replace the prompts (integration tests); pass undefined to restore VS Code's. */
export function setUserInput(input: UserInput | undefined): void {
  current = input ?? vscodeUserInput;
}
