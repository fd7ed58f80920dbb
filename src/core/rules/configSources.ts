// Insecure configuration outside the App Service IaC properties: commands in scripts and pipelines (reported
// under the App Service rule ids), the storage account behind the app, and the app's own production config.
import type { Checker, RuleMeta } from '../model';
import { appConfigChecker, appConfigRules } from './appconfig';
import { scriptChecker } from './scripts';
import { storageChecker, storageRules } from './storage';

export const configRules: RuleMeta[] = [...storageRules, ...appConfigRules];
export const configCheckers: Checker[] = [scriptChecker, storageChecker, appConfigChecker];
