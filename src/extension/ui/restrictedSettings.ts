// Kept free of the vscode module so a unit test can hold it against package.json.

export const SECTION = 'azureSecureDev';

/**
 * Settings a repository could use against its own reader (turn rules off, hide files, run its patterns, steer the
 * vault). The same list is `restrictedConfigurations` in package.json: in Restricted Mode VS Code hides their
 * workspace values, and readSettings() ignores those that lower detection even where a host would pass them on.
 */
export const RESTRICTED_SETTINGS = ['rules', 'ignorePaths', 'maxFileSizeKB', 'customPatterns', 'configFile', 'keyVault.defaultVault'].map((k) => `${SECTION}.${k}`);
