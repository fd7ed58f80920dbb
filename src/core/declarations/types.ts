// What the workspace's infrastructure code declares about App Service apps and slots, for joining live posture
// to source ("code to cloud"). Pure data. Never holds an app setting value: settings are names plus whether the
// value is a Key Vault reference.

/** Offsets into the file's text plus 0-based line/column of both ends (what editors and SARIF need). */
export interface SourceRange {
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * The properties a live posture rule reads, by their Resource Manager name (Terraform's names map onto these:
 * https_only -> httpsOnly, minimum_tls_version -> minTlsVersion, public_network_access_enabled ->
 * publicNetworkAccess, ...).
 */
export type DeclaredPropertyName =
  | 'httpsOnly'
  | 'minTlsVersion'
  | 'scmMinTlsVersion'
  | 'ftpsState'
  | 'remoteDebuggingEnabled'
  | 'http20Enabled'
  | 'corsAllowedOrigins'
  | 'publicNetworkAccess'
  | 'clientCertEnabled'
  | 'clientCertMode'
  | 'identity'
  | 'ipSecurityRestrictions'
  | 'ipSecurityRestrictionsDefaultAction'
  | 'scmIpSecurityRestrictions'
  | 'scmIpSecurityRestrictionsUseMain'
  | 'ftpBasicAuth'
  | 'scmBasicAuth'
  | 'appSettings';

/** One app setting as declared: its name only, never its value. */
export interface DeclaredSetting {
  name: string;
  /** The value is an @Microsoft.KeyVault(...) reference; undefined when the value is an expression we cannot read. */
  keyVaultReference: boolean | undefined;
  /** Range of the setting's name (or of its value when the format has no name token). */
  range: SourceRange;
}

/**
 * A normalised value, comparable with the deployed one: booleans, strings ('1.2', 'Disabled', 'SystemAssigned'),
 * origin lists, restriction summaries ('Allow 10.0.0.0/8', sorted), or app settings (names only).
 */
export type DeclaredValue = boolean | string | readonly string[] | readonly DeclaredSetting[];

export interface DeclaredProperty {
  property: DeclaredPropertyName;
  /** The key as written in the file ('httpsOnly', 'https_only', 'ip_restriction'). */
  key: string;
  /** Range of the value as written (for lists and blocks: of their key). */
  range: SourceRange;
  /** undefined when the value is an expression that no parameter file or default resolves. */
  value: DeclaredValue | undefined;
  /** Short display of the declared value, safe to show (for app settings: names only). */
  declared: string;
  /** Why `value` is undefined. */
  unresolved?: string;
}

export interface Declaration {
  /** Site name ('orders-web'); for an unresolved declaration, the name expression as written. */
  app: string;
  /** Slot name, for Microsoft.Web/sites/slots and azurerm_*_slot. */
  slot?: string;
  /** Resource group, when the code names it as a literal (Terraform resource_group_name, Bicep module scope). */
  resourceGroup?: string;
  /** Path of the file as given to buildDeclarationIndex ('/' separators). */
  file: string;
  /** The resource block (whole) and its anchor (the type token), for "go to declaration". */
  range: SourceRange;
  anchor: SourceRange;
  /** Resource type as written ('Microsoft.Web/sites', 'azurerm_linux_web_app'). */
  type: string;
  format: 'bicep' | 'arm' | 'terraform';
  /** The properties a posture rule reads, when declared (also from config/policy children of the site). */
  properties: Map<DeclaredPropertyName, DeclaredProperty>;
  /** App settings by name (also in properties.get('appSettings')). */
  settings: DeclaredSetting[];
  /** Set when the name could not be resolved to a literal: why (the declaration is then not looked up by name). */
  unresolved?: string;
  /** The condition (if/condition/count) under which the resource is deployed, as written. */
  condition?: string;
  /** Parameter files whose values were used to resolve the name (or values). */
  parameterFiles?: string[];
  /** Module calls through which the file was reached ('main.bicep: module web'). */
  via?: string[];
}

export interface DeclarationIndex {
  /** Every declaration, resolved or not, in file order. */
  readonly declarations: readonly Declaration[];
  /** Declarations whose name did not resolve, with their reason. */
  readonly unresolved: readonly Declaration[];
  /**
   * The declarations of an app or slot, by resource id (matched on site, slot and, when declared, resource group)
   * or by name ('orders-web', 'orders-web/staging'), case-insensitive. More than one means the workspace declares
   * the same app twice: show them all, do not pick one.
   */
  lookup(idOrName: string): Declaration[];
  /** Groups of two or more declarations of the same app or slot. */
  duplicates(): Declaration[][];
  /** Files that did not parse cleanly (the declarations found in them are still indexed). */
  readonly problems: readonly { file: string; message: string }[];
}

export interface IacFile {
  /** Workspace-relative path, '/' separators: module and parameter file references are resolved against it. */
  path: string;
  text: string;
}

/** The outcome of comparing a declared and a deployed value. */
export type DriftState = 'same' | 'drift' | 'unknown';
