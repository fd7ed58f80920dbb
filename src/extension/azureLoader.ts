// Loads dist/azure.js the first time a command needs Azure (Key Vault move, posture view).
export type AzureModule = typeof import('./azureBundle');

let loaded: AzureModule | undefined;

export function loadAzure(): AzureModule {
  // A plain runtime require of the sibling bundle; esbuild leaves it alone (see esbuild.mjs).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./azure.js') as AzureModule;
  return loaded;
}

export function isAzureLoaded(): boolean {
  return loaded !== undefined;
}
