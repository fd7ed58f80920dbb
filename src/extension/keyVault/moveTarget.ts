// What the "Move secret to Azure Key Vault…" quick fix hands to its command. Kept apart from the move itself so the
// code action provider (also in the web host) does not pull the Azure flow in.
import type { Finding } from '../../core/model';

/**
 * Which finding to move: the rule, where it is, and the entry the scan named. Never the value: the command reads
 * it again from the document it scans.
 */
export type MoveSecretTarget = Pick<Finding, 'ruleId' | 'line' | 'column' | 'endLine' | 'endColumn'> & Partial<Pick<Finding, 'secretKind' | 'path' | 'settingName'>>;

export function moveTargetOf(f: Finding): MoveSecretTarget {
  const { ruleId, line, column, endLine, endColumn, secretKind, path, settingName } = f;
  return { ruleId, line, column, endLine, endColumn, secretKind, path, settingName };
}

export function isMoveTarget(x: unknown): x is MoveSecretTarget {
  const t = x as Partial<MoveSecretTarget> | undefined;
  return !!t && typeof t.ruleId === 'string' && [t.line, t.column, t.endLine, t.endColumn].every((n) => typeof n === 'number');
}
