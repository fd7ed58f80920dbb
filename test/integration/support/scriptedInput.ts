// A scripted UserInput for the extension's guided flows (installed with the extension API's setUserInput):
// answers quick picks by label, input boxes with values (after running their validation, as VS Code would),
// the modal confirmation with a button, and records every prompt and notification. A prompt that the script
// does not expect throws at once (the flow fails fast instead of waiting for a user who is not there).
// No Node APIs: usable in both extension hosts.
import type * as vscode from 'vscode';
import type { UserInput } from '../../../src/extension/ui/userInput';

export type Step =
  /** Choose the item whose label equals `pick` (or matches the RegExp); null dismisses the pick (Escape). */
  | { pick: string | RegExp | null; title?: RegExp }
  /** Type `value` (a function gets the proposed value); `rejected: true` expects the validation to refuse it (then Escape). */
  | { input: string | ((proposed: string) => string); title?: RegExp; rejected?: boolean }
  /** Click `button` in the modal; `before` runs first (e.g. edit the document while the dialog is open). */
  | { confirm: string; before?: () => Promise<void> | void };

export interface PromptRecord {
  kind: 'pick' | 'input' | 'confirm';
  title: string;
  /** Quick pick labels, the input's prompt, or the confirmation detail. */
  shown: string[];
  answer?: string;
  /** A modal's buttons in the order shown; the first is the default (Enter). */
  buttons?: string[];
}

export class ScriptedUserInput implements UserInput {
  readonly prompts: PromptRecord[] = [];
  readonly notifications: { level: 'info' | 'warning' | 'error'; message: string }[] = [];
  /** Validation messages the input boxes showed. */
  readonly validation: string[] = [];
  private readonly steps: Step[];

  constructor(steps: Step[]) {
    this.steps = [...steps];
  }

  /** Everything a user could have read: prompts, their items and details, and the notifications. */
  get visibleText(): string {
    return [...this.prompts.flatMap((p) => [p.title, ...p.shown, p.answer ?? '']), ...this.notifications.map((n) => n.message), ...this.validation].join('\n');
  }

  get remaining(): number {
    return this.steps.length;
  }

  private next(kind: PromptRecord['kind'], title: string): Step {
    const step = this.steps.shift();
    const want = !step ? undefined : 'pick' in step ? 'pick' : 'input' in step ? 'input' : 'confirm';
    if (!step || want !== kind) {
      const why = `unexpected ${kind} prompt "${title}"${step ? ` (the script expected a ${want})` : ' (the script is finished)'}`;
      this.prompts.push({ kind, title, shown: [], answer: `ERROR: ${why}` });
      throw new Error(why);
    }
    return step;
  }

  async showQuickPick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
    const title = options.title ?? options.placeHolder ?? '';
    const step = this.next('pick', title) as Extract<Step, { pick: unknown }>;
    const labels = items.map((i) => i.label);
    const rec: PromptRecord = { kind: 'pick', title, shown: labels };
    this.prompts.push(rec);
    if (step.title && !step.title.test(title)) throw new Error(`quick pick "${title}" does not match ${String(step.title)}`);
    if (step.pick === null) return undefined;
    const pick = step.pick;
    const hit = items.find((i) => (typeof pick === 'string' ? i.label === pick : pick.test(i.label)));
    if (!hit) throw new Error(`quick pick "${title}" has no item ${String(step.pick)}; items: ${labels.join(' | ')}`);
    rec.answer = hit.label;
    return hit;
  }

  async showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const title = options.title ?? options.prompt ?? '';
    const step = this.next('input', title) as Extract<Step, { input: unknown }>;
    const value = typeof step.input === 'function' ? step.input(options.value ?? '') : step.input;
    const rec: PromptRecord = { kind: 'input', title, shown: [options.prompt ?? '', options.value ?? ''], answer: value };
    this.prompts.push(rec);
    if (step.title && !step.title.test(title)) throw new Error(`input box "${title}" does not match ${String(step.title)}`);
    const check = await options.validateInput?.(value);
    const message = typeof check === 'string' ? check : check?.message;
    if (message) {
      this.validation.push(message);
      if (step.rejected) return undefined; // the box refuses the value; the user gives up with Escape
      throw new Error(`input box "${title}" refused ${JSON.stringify(value)}: ${message}`);
    }
    if (step.rejected) throw new Error(`input box "${title}" accepted ${JSON.stringify(value)}, which the script expected to be refused`);
    return value;
  }

  async confirm(message: string, detail: string, button: string, safe?: string): Promise<string | undefined> {
    const step = this.next('confirm', message) as Extract<Step, { confirm: unknown }>;
    const buttons = safe ? [safe, button] : [button];
    this.prompts.push({ kind: 'confirm', title: message, shown: [detail, ...buttons], answer: step.confirm, buttons });
    await step.before?.();
    return buttons.includes(step.confirm) ? step.confirm : undefined;
  }

  notify(level: 'info' | 'warning' | 'error', message: string): void {
    this.notifications.push({ level, message });
  }
}
