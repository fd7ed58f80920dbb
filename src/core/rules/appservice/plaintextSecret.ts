// APPSVC-SETTING-PLAINTEXT-SECRET: an app setting or connection string of a deployed app (IaC, settings export)
// whose name marks it as a secret holds a literal instead of a Key Vault reference. Its live twin runs the whole
// secret engine over the deployed settings, so it is declared with the posture-only checks
// (src/core/posture/liveOnly.ts) to keep the rule modules free of the engine.

import type { Entry, RuleMeta } from '../../model';
import { isAppConfigurationReference, isKeyVaultReference, isPartialReference } from '../../references/keyVault';
import type { RuleExamples, RuleUnit } from '../unit';
import { finding, isLiteral, isSettingValue, RUN_FROM_PACKAGE_SETTING, type EntryCtx } from './context';
import { armApp, bicepApp } from './exampleDocs';

export const PLAINTEXT_SECRET_SETTING = 'APPSVC-SETTING-PLAINTEXT-SECRET';

const rules: RuleMeta[] = [
  {
    id: PLAINTEXT_SECRET_SETTING,
    title: 'Secret app setting not in Key Vault',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'medium',
    description:
      'An app setting or connection string whose name marks it as a secret holds a literal value instead of a Key Vault reference, so the secret lives in source control and deployment history.',
    // A specific secret detector on the same value names the kind of secret and carries the Key Vault move.
    yieldsToSecretRules: true,
  },
];

// Parts of names that are not secrets even though they contain KEY/TOKEN/SECRET/PASSWORD.
const NOT_SECRET_PART =
  /INSTRUMENTATION_?KEY|KEY_?VAULT|KEY_?(?:ID|NAME|URI|URL|TYPE|SIZE|PREFIX|PATH|FILE)\b|(?:PUBLIC|PUBLISHABLE|PARTITION|ROW|SORT|CACHE|IDEMPOTENCY|FOREIGN|PRIMARY_?KEY_?COLUMN)_?KEY|SECRET_?(?:NAME|URI|URL|SETTING_?NAME|ID)\b|TOKEN_?(?:URL|URI|ENDPOINT|ISSUER|AUDIENCE|LIFETIME|EXPIR[A-Z]*|TIMEOUT|TYPE|NAME|HEADER|CACHE|STORE|PROVIDER)|PASSWORD_?(?:POLICY|LENGTH|RESET_?URL|EXPIR[A-Z]*)/g;
const CAMEL_BOUNDARY = /([a-z0-9])([A-Z])/g;
const NON_ALNUM = /[^A-Za-z0-9]/g;
const SECRET_PART = /PASSWORD|PASSWD|PWD|SECRET|TOKEN|CONNECTION_?STRING|CONNSTR|KEY(?=_|$)|KEY\b/;

/** 'Smtp.Password' -> 'SMTP_PASSWORD', 'apiKey' -> 'API_KEY', 'ServiceBus__ConnectionString' -> 'SERVICE_BUS__CONNECTION_STRING'. */
export function normalizeSettingName(name: string): string {
  return name
    .replace(CAMEL_BOUNDARY, '$1_$2')
    .replace(NON_ALNUM, '_')
    .toUpperCase();
}

// Every SECRET_PART word (and AzureWebJobsStorage) appears, case aside, as is in the written name: normalizing
// only inserts '_' and changes case. Names without any of them need no normalizing.
const SECRET_WORD = /password|passwd|pwd|secret|token|connection|connstr|key|storage/i;

export function isSecretSettingName(name: string): boolean {
  if (!SECRET_WORD.test(name)) return false;
  const n = normalizeSettingName(name);
  if (n === 'AZURE_WEB_JOBS_STORAGE') return true;
  const rest = n.replace(NOT_SECRET_PART, ' ');
  return SECRET_PART.test(rest);
}

const PLACEHOLDER =
  /^(?:<[^<>]{0,80}>|\{\{[^{}]{0,80}\}\}|\$\{[^{}]{0,80}\}|\$\([^()]{0,80}\)|#\{[^{}]{0,80}\}#?|__[A-Za-z0-9_.-]{1,80}__|%[A-Za-z0-9_]{1,80}%|x{3,}|\*{3,}|\.{3,}|-+|(?:your|my|enter|insert|replace|change|put)[-_ ]?[a-z0-9_ -]{0,60}|changeme|change_me|placeholder|todo|tbd|secret|password|none|null|undefined|empty|dummy|sample|example|test|usedevelopmentstorage=true)$/i;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim());
}

const URL_NO_CREDENTIAL = /^https?:\/\/[^@\s?]{1,2048}$/i;
const CONNECTION_STRING_SHAPE = /^[A-Za-z ]{2,40}=[^;]{0,2048};/;
const CREDENTIAL_PAIR = /(?:password|pwd|accountkey|sharedaccesskey|sharedaccesssignature|sig|secret|token)[ \t]*=/i;

function secretCandidate(e: Entry): boolean {
  if (!isLiteral(e) || (e.valueType !== 'string' && e.valueType !== 'number')) return false;
  const v = e.value.trim();
  if (v.length < 3) return false;
  if (isKeyVaultReference(v) || isAppConfigurationReference(v) || isPartialReference(v)) return false;
  if (isPlaceholder(v)) return false;
  const lower = v.toLowerCase();
  if (lower === 'true' || lower === 'false') return false;
  // A URL with no user info and no query string (an endpoint, not a credential).
  if (URL_NO_CREDENTIAL.test(v)) return false;
  // A connection string without a credential in it (Authentication=Active Directory Managed Identity, ...).
  if (CONNECTION_STRING_SHAPE.test(v) && !CREDENTIAL_PAIR.test(v)) return false;
  return true;
}

const setting = (name: string, value: string) => bicepApp('', `appSettings: [\n        { name: '${name}', value: '${value}' }\n      ]`);

export const plaintextSecret: RuleUnit = {
  rules,
  patterns: [SECRET_WORD, NOT_SECRET_PART, SECRET_PART, CAMEL_BOUNDARY, NON_ALNUM, PLACEHOLDER, URL_NO_CREDENTIAL, CONNECTION_STRING_SHAPE, CREDENTIAL_PAIR],
  detector: {
    keys: [],
    settings: true,
    create(s) {
      // Per scan: setting names repeat (every site has the same few).
      const secretNames = new Map<string, boolean>();
      const isSecret = (name: string): boolean => {
        let secret = secretNames.get(name);
        if (secret === undefined) secretNames.set(name, (secret = isSecretSettingName(name)));
        return secret;
      };
      return {
        onEntry(c: EntryCtx) {
          const e = c.entry;
          const st = c.setting;
          if (!st || !isSettingValue(e) || st.lname === RUN_FROM_PACKAGE_SETTING) return;
          if (st.origin !== 'iac' && st.origin !== 'export') return;
          if ((st.section === 'connectionStrings' || isSecret(st.name)) && secretCandidate(e)) {
            const connection = st.section === 'connectionStrings';
            s.out.push(
              finding(
                PLAINTEXT_SECRET_SETTING,
                e,
                {
                  secret: e.value,
                  secretKind: connection ? 'connection string' : 'app setting secret',
                  message: `${connection ? 'Connection string' : 'App setting'} '${st.name}' holds a literal secret; store it in Key Vault and use a Key Vault reference (@Microsoft.KeyVault(...)).`,
                },
                st.name,
              ),
            );
          }
        },
      };
    },
  },
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [PLAINTEXT_SECRET_SETTING]: {
      positives: [
        { name: 'Bicep app setting Smtp__Password with a literal', file: 'main.bicep', text: setting('Smtp__Password', 'not-a-real-password-42'), at: "'not-a-real-password-42'" },
        { name: 'App Service settings export', file: 'settings.json', text: '[\n  { "name": "JWT_SIGNING_SECRET", "value": "s3cr3t-value-for-tests", "slotSetting": false }\n]', at: '"s3cr3t-value-for-tests"' },
      ],
      negatives: [
        { name: 'a Key Vault reference', file: 'main.bicep', text: setting('Smtp__Password', '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/smtp-password/)') },
        { name: 'a placeholder', file: 'main.bicep', text: setting('API_KEY', '<your-api-key>') },
        { name: 'a name that is not a secret (instrumentation key)', file: 'azuredeploy.json', text: armApp('', '"appSettings": [ { "name": "APPINSIGHTS_INSTRUMENTATIONKEY", "value": "00000000-0000-0000-0000-000000000000" } ]') },
        { name: "appsettings.json is the secret detectors' job", file: 'appsettings.json', text: '{ "Smtp": { "Password": "not-a-real-password-42" } }' },
      ],
    },
  };
}
