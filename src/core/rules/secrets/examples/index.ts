import type { RuleExamples } from './types';
import { connectionStringExamples, sasTokenExamples, uriCredentialExamples } from './connectionStrings';
import { genericPasswordExamples } from './generic';
import { devopsPatExamples, entraSecretExamples, identifiableKeyExamples, keySettingExamples } from './keys';
import { jwtExamples, privateKeyExamples, thirdPartyTokenExamples } from './tokens';

export type { ExampleSecret, RuleExamples, SecretExample } from './types';

/** Every SECRET-* rule's true- and false-positive examples, by rule id (test/unit/ruleExamples.test.ts runs them). */
export const SECRET_RULE_EXAMPLES: Readonly<Record<string, RuleExamples>> = {
  'SECRET-AZURE-IDENTIFIABLE-KEY': identifiableKeyExamples,
  'SECRET-ENTRA-CLIENT-SECRET': entraSecretExamples,
  'SECRET-CONNECTION-STRING': connectionStringExamples,
  'SECRET-AZURE-KEY-SETTING': keySettingExamples,
  'SECRET-URI-CREDENTIALS': uriCredentialExamples,
  'SECRET-SAS-TOKEN': sasTokenExamples,
  'SECRET-PRIVATE-KEY': privateKeyExamples,
  'SECRET-JWT': jwtExamples,
  'SECRET-THIRD-PARTY-TOKEN': thirdPartyTokenExamples,
  'SECRET-AZURE-DEVOPS-PAT': devopsPatExamples,
  'SECRET-GENERIC-PASSWORD': genericPasswordExamples,
};
