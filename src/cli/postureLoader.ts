// Loads the posture command's bundle (dist/cli-posture.js) the first time `posture` runs.
export type PostureModule = typeof import('./postureBundle');

let loaded: PostureModule | undefined;

export function loadPosture(): PostureModule {
  // A runtime require of the sibling bundle, left alone by esbuild (see esbuild.mjs); from the sources (tests run
  // through esbuild-register) the module itself.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= (__filename.endsWith('.ts') ? require('./postureBundle') : require('./cli-posture.js')) as PostureModule;
  return loaded;
}
