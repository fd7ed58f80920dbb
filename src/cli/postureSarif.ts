// `posture --iac DIR` and `posture --format sarif`: each live check of an app the folder declares points at the
// IaC line that sets the property (or at the resource when it is not set), with declared vs deployed values
// and drift. Output is secret-free: app settings are compared by name and Key Vault reference only.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeBytes } from '../core/binary';
import { buildDeclarationIndex, deployedProperties, ruleDrift, type Declaration, type DeclarationIndex, type DeclaredPropertyName, type DeclaredValue, type IacFile, type RuleDrift } from '../core/declarations';
import { maskText } from '../core/mask';
import { postureRule, type PostureCheck, type PostureInput, type PostureReport } from '../core/posture';
import { toSarif } from '../core/sarif';
import { readRepoFile } from './repoFile';
import { formatPostureText, postureToJson, type PostureRun } from './posture';
import { walk } from './walk';

/** The --iac folder is missing or not a folder: a usage error (exit 2). */
export class IacFolderError extends Error {}

const IAC_EXTENSIONS = ['.bicep', '.bicepparam', '.tf', '.tfvars', '.json'];
const IAC_MAX_BYTES = 2 * 1024 * 1024;
const SKIPPED_FOLDER = /(?:^|\/)(?:\.terraform|bin|obj|dist|out)\//;

export interface IacFolder {
  /** Absolute path of the folder. */
  root: string;
  index: DeclarationIndex;
  /** Infrastructure files read. */
  files: number;
}

/** Read every Bicep, ARM JSON and Terraform file under `dir` (links not followed) and index its declarations. */
export function loadIacFolder(dir: string): IacFolder {
  const root = path.resolve(dir);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new IacFolderError(`--iac ${JSON.stringify(dir)}: no such folder`);
  }
  if (!stat.isDirectory()) throw new IacFolderError(`--iac ${JSON.stringify(dir)} is not a folder`);
  const files: IacFile[] = [];
  for (const entry of walk(root, () => undefined)) {
    const lower = entry.rel.toLowerCase();
    if (!IAC_EXTENSIONS.some((x) => lower.endsWith(x)) || SKIPPED_FOLDER.test(entry.rel) || entry.size > IAC_MAX_BYTES) continue;
    try {
      const decoded = decodeBytes(readRepoFile(entry.abs, { maxBytes: IAC_MAX_BYTES, regularOnly: true }));
      if ('text' in decoded) files.push({ path: entry.rel, text: decoded.text });
    } catch {
      // An unreadable file declares nothing; the posture report does not depend on it.
    }
  }
  return { root, index: buildDeclarationIndex(files), files: files.length };
}

/** Collects the deployed values of each app as posture reads it (pass as PostureRequest.observe). */
export class DeployedValues {
  private readonly byApp = new Map<string, Map<DeclaredPropertyName, DeclaredValue>>();
  readonly observe = (app: string, input: PostureInput): void => {
    this.byApp.set(app.toLowerCase(), deployedProperties(input));
  };
  get(app: string): ReadonlyMap<DeclaredPropertyName, DeclaredValue> {
    return this.byApp.get(app.toLowerCase()) ?? new Map();
  }
}

export interface CheckDeclaration {
  /** The one declaration of the app; undefined when there are none or several. */
  declaration?: Declaration;
  /** Two or more declarations of the same app: listed, not compared. */
  ambiguous?: Declaration[];
  drift?: RuleDrift;
  /** Where to point: the property's value, or the resource when the property is not set. */
  location?: { file: string; line: number; column: number; endLine: number; endColumn: number };
}

/** The declaration facts of one check of one report; undefined when the folder does not declare the app. */
export function checkDeclaration(iac: IacFolder, deployed: DeployedValues, report: PostureReport, check: PostureCheck): CheckDeclaration | undefined {
  if (check.scope === 'subscription' || !report.resourceId) return undefined;
  const found = iac.index.lookup(report.resourceId);
  if (!found.length) return undefined;
  if (found.length > 1) return { ambiguous: found };
  const declaration = found[0];
  const drift = ruleDrift(check.ruleId, declaration, deployed.get(report.resourceId));
  const r = drift?.declaredProperty?.range ?? declaration.anchor;
  return { declaration, drift, location: { file: declaration.file, line: r.line + 1, column: r.column + 1, endLine: r.endLine + 1, endColumn: r.endColumn + 1 } };
}

function where(d: Declaration, line?: number): string {
  return `${d.file}:${line ?? d.anchor.line + 1}`;
}

/** One line for text output under a check, or undefined. */
export function declarationNote(c: CheckDeclaration | undefined): string | undefined {
  if (!c) return undefined;
  if (c.ambiguous) return `declared more than once (${c.ambiguous.map((d) => where(d)).join(', ')}): not compared`;
  const d = c.declaration!;
  if (!c.drift) return `declared at ${where(d, c.location?.line)}`;
  const at = `${d.file}:${c.location!.line}`;
  if (!c.drift.declaredProperty) return `declared at ${at}: ${c.drift.property} not set${c.drift.state === 'drift' ? `, platform default differs from deployed ${c.drift.deployed} (drift)` : ' (platform default applies)'}`;
  const state = c.drift.state === 'drift' ? ` — drift: deployed ${c.drift.deployed}` : c.drift.state === 'unknown' ? ' (not compared)' : '';
  return maskText(`declared at ${at}: ${c.drift.declaredProperty.key} = ${c.drift.declared}${state}${c.drift.differences?.length ? ` (${c.drift.differences.join('; ')})` : ''}`);
}

/** The JSON form of a check's declaration, added to the check as `declaration`. */
export function declarationJson(c: CheckDeclaration | undefined): Record<string, unknown> | undefined {
  if (!c) return undefined;
  if (c.ambiguous) return { ambiguous: true, declarations: c.ambiguous.map((d) => ({ file: d.file, line: d.anchor.line + 1 })) };
  const out: Record<string, unknown> = { file: c.declaration!.file, line: c.location!.line, column: c.location!.column };
  if (c.drift) {
    out.property = c.drift.property;
    out.declared = maskText(c.drift.declared);
    out.deployed = c.drift.deployed;
    out.driftState = c.drift.state;
    if (c.drift.state === 'drift') out.drift = true;
    if (c.drift.differences) out.differences = c.drift.differences;
  }
  return out;
}

/** A copy of the run whose checks carry `declaration` (for --format json). */
export function withDeclarations(run: PostureRun, iac: IacFolder, deployed: DeployedValues): PostureRun {
  return {
    ...run,
    reports: run.reports.map((r) => ({
      ...r,
      checks: r.checks.map((c) => {
        const d = declarationJson(checkDeclaration(iac, deployed, r, c));
        return d ? { ...c, declaration: d } : c;
      }),
    })),
  };
}

/** Unresolved and duplicate declarations, as lines for standard error. */
export function iacNotes(iac: IacFolder): string[] {
  const lines = iac.index.unresolved.map((d) => `${d.file}:${d.anchor.line + 1}: App Service ${d.slot ? 'slot' : 'app'} not linked: ${d.unresolved}`);
  for (const group of iac.index.duplicates()) lines.push(`${group[0].app}${group[0].slot ? `/${group[0].slot}` : ''} is declared more than once: ${group.map((d) => where(d)).join(', ')}`);
  return lines.map(maskText);
}

// ---- SARIF --------------------------------------------------------------------------------------------------

function fileUri(p: string): string {
  return 'file://' + p.split(path.sep).map(encodeURIComponent).join('/').replace(/^([^/])/, '/$1') + '/';
}

function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

/** Live posture as SARIF 2.1.0: one result per failing or warning check. */
export function postureToSarif(run: PostureRun, version: string, iac?: IacFolder, deployed: DeployedValues = new DeployedValues()): string {
  const ids = [...new Set(run.reports.flatMap((r) => r.checks.map((c) => c.ruleId)))];
  const rules = ids.map((id) => postureRule(id)).filter((r) => r !== undefined);
  // The scan's SARIF skeleton (tool, rules with help and security-severity), with posture results.
  const sarif = toSarif([], rules, { version, ...(iac ? { rootUri: fileUri(iac.root) } : {}) });
  const sarifRun = sarif.runs[0];
  const ruleIndex = new Map(sarifRun.tool.driver.rules.map((r, i) => [r.id, i]));
  const results: unknown[] = [];
  for (const report of run.reports) {
    const resourceId = report.resourceId ?? report.name ?? '';
    for (const check of report.checks) {
      if (check.status !== 'fail' && check.status !== 'warning') continue;
      const c = iac ? checkDeclaration(iac, deployed, report, check) : undefined;
      const logical = { logicalLocations: [{ fullyQualifiedName: resourceId, kind: 'resource' }] };
      const physical = c?.location
        ? {
            physicalLocation: {
              artifactLocation: { uri: encodePath(c.location.file), uriBaseId: 'SRCROOT' },
              region: { startLine: c.location.line, startColumn: c.location.column, endLine: c.location.endLine, endColumn: c.location.endColumn },
            },
          }
        : {};
      const note = declarationNote(c);
      const properties: Record<string, unknown> = { resourceId, status: check.status, deployed: check.value };
      if (iac && check.scope === 'site') {
        properties.declared = c?.ambiguous ? 'declared more than once' : c?.drift ? maskText(c.drift.declared) : c?.declaration ? 'not compared' : 'not declared';
        if (c?.drift?.state === 'drift') properties.drift = true;
        if (c?.drift?.property) properties.declaredProperty = c.drift.property;
        if (c?.drift?.differences) properties.differences = c.drift.differences;
      }
      results.push({
        ruleId: check.ruleId,
        ...(ruleIndex.has(check.ruleId) ? { ruleIndex: ruleIndex.get(check.ruleId) } : {}),
        level: check.status === 'fail' ? 'error' : 'warning',
        message: { text: maskText(`${check.title}: ${check.value} (${resourceId})${note ? `; ${note}` : ''}.`) },
        locations: [{ ...physical, ...logical }],
        ...(c?.ambiguous
          ? {
              relatedLocations: c.ambiguous.map((d, i) => ({
                id: i + 1,
                physicalLocation: { artifactLocation: { uri: encodePath(d.file), uriBaseId: 'SRCROOT' }, region: { startLine: d.anchor.line + 1, startColumn: d.anchor.column + 1 } },
                message: { text: `declaration ${i + 1} of ${c.ambiguous!.length}` },
              })),
            }
          : {}),
        partialFingerprints: { 'azureSecureDevPosture/v1': `${check.ruleId}:${resourceId.toLowerCase()}` },
        properties,
      });
    }
  }
  const notifications = iac ? iacNotes(iac).map((text) => ({ level: 'note', message: { text } })) : [];
  const out = {
    ...sarif,
    runs: [
      {
        ...sarifRun,
        results,
        ...(notifications.length || run.errors.length
          ? {
              invocations: [
                {
                  executionSuccessful: run.errors.length === 0,
                  toolExecutionNotifications: [...run.errors.map((e) => ({ level: 'error', message: { text: maskText(`${e.app}: ${e.message}`) } })), ...notifications],
                },
              ],
            }
          : {}),
      },
    ],
  };
  return JSON.stringify(out, null, 2) + '\n';
}

/** The posture report in the chosen format; with --iac, each check carries its declaration and drift. */
export function formatPostureReport(format: 'text' | 'json' | 'sarif', run: PostureRun, version: string, iac?: IacFolder, deployed: DeployedValues = new DeployedValues()): string {
  if (format === 'sarif') return postureToSarif(run, version, iac, deployed);
  if (format === 'json') return postureToJson(iac ? withDeclarations(run, iac, deployed) : run);
  // Under failing and warning checks, and wherever declared and deployed differ; passing checks stay one line.
  const note = (r: PostureReport, c: PostureCheck) => {
    const d = checkDeclaration(iac!, deployed, r, c);
    return c.status === 'fail' || c.status === 'warning' || d?.drift?.state === 'drift' ? declarationNote(d) : undefined;
  };
  return formatPostureText(run, iac ? note : undefined);
}
