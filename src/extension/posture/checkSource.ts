// Joins one live posture check to the infrastructure code that declares its app: where "Go to declaration" lands,
// and declared vs deployed (drift). Pure (no vscode). Secret-free: app settings are compared by name and by whether
// the value is a Key Vault reference (core/declarations drift), never by value.
import { RULE_PROPERTIES, ruleDrift, type Declaration, type DeclaredPropertyName, type DeclaredValue, type RuleDrift, type SourceRange } from '../../core/declarations';

export interface CheckSource {
  /** The declarations of the app or slot; more than one means the workspace declares it twice (nothing is compared). */
  declarations: readonly Declaration[];
  /** Where "Go to declaration" lands (of the first declaration): the property, or the resource when it is not set. */
  range: SourceRange;
  /** The property the rule reads is written in the template (else the platform default applies). */
  propertySet: boolean;
  property?: DeclaredPropertyName;
  /** Declared vs deployed, for a single declaration and a rule that reads a declarable property. */
  drift?: RuleDrift;
}

/** Checks that are not about the app resource (a subscription's Defender plan) have no declaration to go to. */
const NOT_ON_THE_APP = new Set(['DEFENDER-APPSERVICE']);

export function checkSource(ruleId: string, declarations: readonly Declaration[], deployed: ReadonlyMap<DeclaredPropertyName, DeclaredValue> | undefined): CheckSource | undefined {
  if (!declarations.length || NOT_ON_THE_APP.has(ruleId)) return undefined;
  const first = declarations[0];
  const props = RULE_PROPERTIES[ruleId] ?? [];
  const property = props.find((p) => first.properties.has(p)) ?? props[0];
  const declared = property ? first.properties.get(property) : undefined;
  const out: CheckSource = { declarations, range: declared?.range ?? first.anchor, propertySet: !!declared };
  if (property) out.property = property;
  if (declarations.length === 1 && deployed) {
    const drift = ruleDrift(ruleId, first, deployed);
    if (drift) out.drift = drift;
  }
  return out;
}

/** "declared httpsOnly: true, deployed false" (display strings from the drift, secret-free). */
export function driftText(drift: RuleDrift): string {
  const prop = drift.property ?? 'value';
  const differences = drift.differences?.length ? ` (${drift.differences.join('; ')})` : '';
  return `declared ${prop}: ${drift.declared}, deployed ${drift.deployed}${differences}`;
}
