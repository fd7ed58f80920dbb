// Azure's names, in one place: what a vault or secret may be called, how a Key Vault reference is written, which
// resource types are App Service sites in each IaC language, and the api-versions the tools call. The editor,
// the CLI, the posture checks and src/azure all read these; nothing else spells them out. Pure data and string
// handling; every regex is linear.
import type { FileKind } from '../model';

// ---- Key Vault names -------------------------------------------------------------------------------------

/** Vault names: 3–24 letters, digits and dashes, starting with a letter and ending with a letter or digit. */
export const VAULT_NAME = /^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/;
export const VAULT_NAME_RULE = 'Vault names are 3–24 letters, digits and dashes, starting with a letter.';

/** A vault name Azure accepts (the pattern, and no two dashes in a row). */
export function isValidVaultName(name: string): boolean {
  return VAULT_NAME.test(name) && !name.includes('--');
}

export const SECRET_NAME_MAX = 127;
/** Secret names: 1–127 letters, digits and dashes. */
export const SECRET_NAME = /^[A-Za-z0-9-]{1,127}$/;
export const SECRET_NAME_RULE = 'Secret names are 1–127 letters, digits and dashes.';
/** Secret versions are 32 hex digits. */
export const SECRET_VERSION = /^[0-9A-Fa-f]{32}$/;

export function isValidSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * THE secret name for a setting name or key path (every proposal, in the editor and the live posture fix):
 * `__` and `:` (the .NET configuration separators) become `--`, which the Key Vault configuration provider maps
 * back to `:`; any other character Key Vault refuses becomes `-`; runs of three or more dashes shrink to two;
 * no leading or trailing dash; at most 127 characters; 'secret' when nothing is left.
 */
export function toSecretName(raw: string): string {
  let name = raw.replace(/__|:/g, '--').replace(/[^A-Za-z0-9-]/g, '-');
  while (name.includes('---')) name = name.replace('---', '--');
  const trimDashes = (s: string) => {
    let a = 0;
    let b = s.length;
    while (a < b && s[a] === '-') a++;
    while (b > a && s[b - 1] === '-') b--;
    return s.slice(a, b);
  };
  name = trimDashes(trimDashes(name).slice(0, SECRET_NAME_MAX));
  return name || 'secret';
}

// ---- Key Vault references --------------------------------------------------------------------------------

/** Key Vault DNS suffixes of the public and sovereign clouds (the first is the public cloud's). */
export const KEY_VAULT_DNS_SUFFIXES = ['vault.azure.net', 'vault.azure.cn', 'vault.usgovcloudapi.net', 'vault.microsoftazure.de'] as const;

/**
 * App Service / Functions reference syntaxes:
 *   @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>[/<version>])
 *   @Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>[;SecretVersion=<version>])
 *   @Microsoft.AppConfiguration(Endpoint=...;Key=...)
 */
export const KEY_VAULT_REFERENCE_PREFIX = '@Microsoft.KeyVault(';
export const APP_CONFIGURATION_REFERENCE_PREFIX = '@Microsoft.AppConfiguration(';

/** Versionless, so App Service picks up a rotated secret without a change in the file. */
export function appServiceReference(vaultHost: string, secretName: string): string {
  return `${KEY_VAULT_REFERENCE_PREFIX}SecretUri=https://${vaultHost}/secrets/${secretName}/)`;
}

// ---- App Service resource types per IaC language ---------------------------------------------------------

/** ARM and Bicep: the site type (slots and children are sub-types of it). */
export const ARM_SITE_TYPE = 'Microsoft.Web/sites';
/** Terraform (azurerm): the resource types that are App Service sites, legacy and Flex Consumption included. */
export const TERRAFORM_SITE_TYPES: readonly string[] = [
  'azurerm_linux_web_app',
  'azurerm_windows_web_app',
  'azurerm_linux_function_app',
  'azurerm_windows_function_app',
  'azurerm_function_app_flex_consumption',
  'azurerm_app_service',
  'azurerm_function_app',
];
/** TERRAFORM_SITE_TYPES as patterns (a unit test keeps them in step with the list): a site, and a site or its slot. */
export const TERRAFORM_SITE_TYPE = /^azurerm_(?:linux_web_app|windows_web_app|linux_function_app|windows_function_app|function_app_flex_consumption|app_service|function_app)$/;
export const TERRAFORM_SITE_OR_SLOT_TYPE = /^azurerm_(?:linux_web_app|windows_web_app|linux_function_app|windows_function_app|function_app_flex_consumption|app_service|function_app)(?:_slot)?$/;

/** Files that declare sites by name (posture links an app to them): ARM templates, Bicep, Terraform. */
export const SITE_DECLARATION_KINDS: ReadonlySet<FileKind> = new Set<FileKind>(['arm-template', 'bicep', 'terraform']);

// ---- api-versions ----------------------------------------------------------------------------------------

/** The api-versions of every Resource Manager call (azure-apis.md section 1); src/azure reads them from here. */
export const API_VERSIONS = Object.freeze({
  web: '2025-03-01',
  subscriptions: '2022-12-01',
  resourceGraph: '2024-04-01',
  keyVault: '2024-11-01',
  security: '2024-01-01',
  authorization: '2022-04-01',
});
