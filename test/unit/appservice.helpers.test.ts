// Shared helpers for the App Service rule tests (named *.test.ts to stay in the appservice test set; it declares no tests).
import * as assert from 'node:assert/strict';
import { scanText } from '../../src/core/engine';
import type { Finding, Level } from '../../src/core/model';

export interface FailCase {
  name: string;
  /** File name: decides the file kind (main.json, main.bicep, main.tf, .env, web.config, ...). */
  file: string;
  text: string;
  rule: string;
  /** Exact text of the reported range. */
  value: string;
  /** Text after applying the fix; undefined when the rule offers no fix. */
  fixed?: string;
  /** Rule levels for this case (for example to turn off a secret detector that would take the finding over). */
  levels?: Record<string, Level>;
}

export interface PassCase {
  name: string;
  file: string;
  text: string;
  rule: string;
}

export function findingsFor(text: string, file: string, rule: string, levels?: Record<string, Level>): Finding[] {
  return scanText(text, file, { levels }).findings.filter((f) => f.ruleId === rule);
}

export function applyFix(text: string, f: Finding): string {
  assert.ok(f.fix, `${f.ruleId} offers no fix`);
  return text.slice(0, f.fix.start) + f.fix.replacement + text.slice(f.fix.end);
}

/** Assert one finding of the rule, its exact range, the fix result and that the fix is idempotent. */
export function expectFailure(c: FailCase): void {
  const found = findingsFor(c.text, c.file, c.rule, c.levels);
  assert.equal(found.length, 1, `expected one ${c.rule}, got ${found.length}: ${found.map((f) => c.text.slice(f.start, f.end)).join(' | ')}`);
  const f = found[0];
  assert.equal(c.text.slice(f.start, f.end), c.value);
  assert.ok(f.settingName, 'settingName is filled');
  if (c.fixed === undefined) {
    assert.equal(f.fix, undefined, 'no automatic fix for this case');
    return;
  }
  const fixed = applyFix(c.text, f);
  assert.equal(fixed, c.fixed);
  assert.deepEqual(findingsFor(fixed, c.file, c.rule), [], 're-scanning the fixed text reports nothing');
}

export function expectPass(c: PassCase): void {
  const found = findingsFor(c.text, c.file, c.rule);
  assert.deepEqual(
    found.map((f) => c.text.slice(f.start, f.end)),
    [],
    `${c.rule} should not fire`,
  );
}

/** An ARM template with the given resources (JSON text, comma separated). */
export function armTemplate(resources: string): string {
  return `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "siteName": { "type": "string" } },
  "resources": [
${resources}
  ]
}
`;
}

/** A Microsoft.Web/sites resource with an identity, httpsOnly true and the given extra properties/siteConfig. */
export function armSite(props = '', siteConfig = '', extra = ''): string {
  return `    {
      "type": "Microsoft.Web/sites",
      "apiVersion": "2023-12-01",
      "name": "[parameters('siteName')]",
      "location": "[resourceGroup().location]",
      "kind": "app",
      "identity": { "type": "SystemAssigned" },${extra}
      "properties": {
        "httpsOnly": true,${props}
        "siteConfig": {
          "alwaysOn": true${siteConfig}
        }
      }
    }`;
}
