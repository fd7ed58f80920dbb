import type { Checker, RuleMeta } from '../../model';

// Placeholder until the App Service setting rules land.
export const appServiceRules: RuleMeta[] = [];
export const appServiceCheckers: Checker[] = [];
