import type { FileKind, ParsedDocument } from '../model';

/** How a suppression comment is written in a file: `${open}azure-secure-dev-ignore ...${close}`. */
export interface CommentSyntax {
  open: string;
  close: string;
}

/**
 * Where App Service app settings and connection strings live in a format (the settings lookup):
 *   iac          inside App Service resources (ARM, Bicep, Terraform): appSettings / app_settings ...
 *   export       every top-level { name, value } of a portal "Advanced edit" export
 *   local        Values / ConnectionStrings of local.settings.json
 *   env          every variable of a .env file
 *   appsettings  every key of appsettings*.json (ConnectionStrings section: connection strings)
 *   xml          <appSettings>, <connectionStrings>, <environmentVariables> of web.config
 */
export type SettingsHome = 'iac' | 'export' | 'local' | 'env' | 'appsettings' | 'xml';

/** The Key Vault move for a secret that is not an App Service setting (those get a Key Vault reference). */
export type KeyVaultMoveForm = 'arm-parameter-reference' | 'bicepparam-getsecret' | 'aspnet-keyvault-provider' | 'env-removed' | 'code-env-read';

/** How the incremental scanner can re-check this format after an edit. */
export type Recheck =
  /** Findings never span lines: re-check the edited lines. */
  | { by: 'lines' }
  /** Re-check the top-level resource that holds the edit, parsed alone with its real path. */
  | { by: 'resource'; parseResource(slice: string, kind: FileKind, index: number): ParsedDocument }
  /** Always the whole document. */
  | { by: 'document' };

/**
 * Everything the engine knows about one file format. Adding a format is one spec in formats/specs.ts (and
 * its parser); detection, parsing, suppressions, re-checks and the readers of these fields follow.
 */
export interface FormatSpec {
  readonly kind: FileKind;
  /**
   * Is a file of this lower-case base name in this format? `head` returns the start of the text (read only
   * when asked). Specs are tried in the order of FORMATS; the first that says yes wins.
   */
  detect(name: string, head: () => string): boolean;
  /** The text into the common model. May throw: parseDocument turns that into an empty document with an error. */
  parse(text: string, kind: FileKind): ParsedDocument;
  /** Comment openers the format accepts: a suppression alone on its line after one covers the next line too. */
  readonly commentOpeners: readonly string[];
  /** Comment closers that may end a suppression's line (dropped from its reason). */
  readonly commentClosers: readonly string[];
  /** The comment a new suppression is written in (code files: by extension). */
  suppressionComment(path: string): CommentSyntax;
  /** JSON or JSONC: values are quoted, so line-based assignment detection does not apply. */
  readonly jsonLike: boolean;
  /** Where App Service settings live (the settings lookup); undefined when the format holds none. */
  readonly settings?: SettingsHome;
  /**
   * Infrastructure as code: the language its resource types are written in, and whether every file of the
   * kind is a template (`certain`) or only may be one (plain JSON holding a `resources` array).
   */
  readonly iac?: { language: 'arm' | 'bicep' | 'terraform'; certain: boolean };
  /** Key Vault move: the quote of a string literal, and the move for secrets that are not App Service settings. */
  readonly keyVault: { quote: '"' | "'"; form?: KeyVaultMoveForm };
  readonly recheck: Recheck;
}
