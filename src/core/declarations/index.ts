// Declaration index: which IaC file and line declares each App Service app and slot, and each property a posture
// rule reads; and declared vs deployed (drift). Pure.

export * from './types';
export { buildDeclarationIndex, DeclarationCache } from './build';
export { compareDeclared, deployedProperties, ruleDrift, RULE_PROPERTIES, type RuleDrift } from './drift';
export { displayValue, isKeyVaultReference } from './properties';
export { IAC_KINDS, iacSiteNames, matchSiteIds } from './names';
