import { maskSecret, maskText, maskValue } from './mask';
import type { Finding, RuleMeta, Severity } from './model';
import { docsUrl } from './rules';

export interface SarifFileResult {
  /** Path relative to the scanned root, '/' separated. */
  path: string;
  findings: Finding[];
  /** The file's text, to cut snippets for settings (secrets are never cut from the text). */
  text: string;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
// GitHub code scanning sorts and filters security results by this score.
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.5', info: '3.0', hint: '1.0' };
const PRECISION = { high: 'very-high', medium: 'high', low: 'low' } as const;

/** Findings -> SARIF 2.1.0. URIs relative to the scanned root (originalUriBaseIds SRCROOT); snippets masked. */
export function toSarif(results: SarifFileResult[], rules: readonly RuleMeta[], tool: { version: string; rootUri?: string }) {
  const used = new Set(results.flatMap((r) => r.findings.map((f) => f.ruleId)));
  const ruleList = rules.filter((r) => used.has(r.id) || !r.defaultOff);
  const index = new Map(ruleList.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'Azure Secure Dev',
            informationUri: 'https://github.com/azure-secure-dev/azure-secure-dev',
            version: tool.version,
            semanticVersion: tool.version,
            rules: ruleList.map((r) => ({
              id: r.id,
              name: r.id.toLowerCase().replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              helpUri: docsUrl(r.id),
              help: { text: `${r.description} See ${docsUrl(r.id)}`, markdown: `${r.description} [Documentation](${docsUrl(r.id)})` },
              defaultConfiguration: { level: LEVEL[r.severity], enabled: !r.defaultOff },
              properties: {
                tags: [r.tag, 'security'],
                precision: PRECISION[r.confidence],
                'security-severity': SECURITY_SEVERITY[r.severity],
              },
            })),
          },
        },
        ...(tool.rootUri ? { originalUriBaseIds: { SRCROOT: { uri: tool.rootUri.endsWith('/') ? tool.rootUri : `${tool.rootUri}/` } } } : {}),
        results: results.flatMap((r) =>
          r.findings.map((f) => ({
            ruleId: f.ruleId,
            ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
            level: LEVEL[f.severity],
            message: { text: maskText(f.message) },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: encodePath(r.path), ...(tool.rootUri ? { uriBaseId: 'SRCROOT' } : {}) },
                  region: {
                    startLine: f.line + 1,
                    startColumn: f.column + 1,
                    endLine: f.endLine + 1,
                    endColumn: f.endColumn + 1,
                    snippet: { text: snippet(f, r.text) },
                  },
                },
              },
            ],
            partialFingerprints: { 'azureSecureDev/v1': f.fingerprint },
          })),
        ),
        columnKind: 'utf16CodeUnits' as const,
      },
    ],
  };
}

/**
 * The flagged token, masked unless it is plainly not a secret (a boolean, a number, an enum word): a setting
 * finding may sit on a connection string, a SAS URL or a URL with a password as much as on `false`.
 */
export function snippet(f: Finding, text: string): string {
  if (f.tag === 'secret' || f.secret !== undefined) return maskSecret(f.secret ?? text.slice(f.start, f.end));
  return maskValue(text.slice(f.start, Math.min(f.end, f.start + 200)));
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
