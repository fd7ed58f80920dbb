import type { RuleExamples } from './types';

// An npm legacy token is a UUID: written in pieces.
const uuid = { pieces: ['7c9e6679-7425-', '40de-944b-', 'e07fc1f90ae7'] };

/** SECRET-THIRD-PARTY-TOKEN: documented prefixes, with checksums where the format has one. */
export const thirdPartyTokenExamples: RuleExamples = {
  positives: [
    { name: 'GitHub token in a workflow', file: '.github/workflows/ci.yml', text: 'env:\n  GH_TOKEN: {secret}\n', secret: { fake: 'github-pat' } },
    { name: 'npm token in .npmrc', file: '.npmrc', text: '//registry.npmjs.org/:_authToken={secret}\n', secret: { fake: 'npm-token' } },
    { name: 'npm legacy UUID token in .npmrc', file: 'pkg/.npmrc', text: 'registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={secret}\n', secret: uuid, kind: 'npm access token' },
  ],
  negatives: [
    { name: 'GitHub token with a broken checksum', file: 'a.py', text: 't = "{secret}"\n', secret: { pieces: ['gh', 'p_', 'aaaaBBBBccccDDDDeeeeFFFFgggg', 'HHHHiiii'] } },
    { name: 'UUID under a token name outside npm', file: 'client.js', text: 'const requestToken = "7c9e6679-7425-40de-944b-e07fc1f90ae7";\n' },
  ],
};

/** SECRET-JWT: three base64url parts, header JSON with alg. */
export const jwtExamples: RuleExamples = {
  positives: [{ name: 'bearer token in C#', file: 'Client.cs', text: 'client.DefaultRequestHeaders.Add("Authorization", "Bearer {secret}");\n', secret: { fake: 'jwt' } }],
  negatives: [{ name: 'eyJ string whose header is not JSON', file: 'a.js', text: 'x = "eyJhYWFhYWFhYWFhYWFh.eyJiYmJiYmJiYmJiYmJi.cccccccccccccccccccccccc"\n' }],
};

/** SECRET-PRIVATE-KEY: a PEM private key block with a body that decodes. */
export const privateKeyExamples: RuleExamples = {
  positives: [{ name: 'EC key in a PEM file', file: 'key.pem', text: '{secret}\n', secret: { fake: 'ec-private-key' } }],
  negatives: [{ name: 'placeholder body in a README', file: 'README.md', text: '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n' }],
};
