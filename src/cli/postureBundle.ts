// The posture command with the Azure SDK it needs, bundled apart (dist/cli-posture.js): `scan`, which CI and
// pre-commit hooks run on every commit, never reads nor compiles it (about half of the CLI's code).
export * from './posture';
export * from './postureSarif';
export { resolveChecks } from '../azure/tenantSweep';
export { postureChecks } from '../core/posture';
