import * as assert from 'node:assert/strict';
import { scanText } from '../../src/core/engine';
import { IncrementalScanner } from '../../src/core/incremental';
import { encodeBase64 } from '../../src/core/rules/secrets/encoding';
import { isRandomHexKey } from '../../src/core/rules/secrets/azureServiceKeys';
import { fakeSecret, publicDevKey } from '../support/fakeSecrets';

// The Azure key families issue 10 found missing in realistic files, and their hard negatives. Every key is
// assembled at run time by fakeSecrets.ts; failure messages name the case, never the value.

const IDENTIFIABLE = 'SECRET-AZURE-IDENTIFIABLE-KEY';
const KEY_SETTING = 'SECRET-AZURE-KEY-SETTING';

interface Positive {
  name: string;
  file: string;
  text: (s: string) => string;
  secret: string;
  /** The text the finding must cover, when it is not the secret itself (percent- or base64-encoded). */
  covers?: string;
  rule: string;
  kind: string | RegExp;
}

function expectFinding(c: Positive): void {
  const text = c.text(c.secret);
  const covers = c.covers ?? c.secret;
  const r = scanText(text, c.file);
  const hits = r.findings.filter((f) => text.slice(f.start, f.end) === covers);
  assert.ok(hits.length > 0, `${c.name}: no finding covering exactly the secret (got ${r.findings.map((f) => `${f.ruleId}@${f.start}-${f.end}`).join(', ') || 'none'})`);
  assert.equal(hits[0].ruleId, c.rule, `${c.name}: rule`);
  if (typeof c.kind === 'string') assert.equal(hits[0].secretKind, c.kind, `${c.name}: kind`);
  else assert.match(hits[0].secretKind ?? '', c.kind, `${c.name}: kind`);
  for (const f of r.findings) assert.ok(!f.message.includes(c.secret) && !f.message.includes(covers), `${c.name}: message leaks the value`);
}

function expectNoSecretFinding(name: string, file: string, text: string): void {
  const r = scanText(text, file);
  const secrets = r.findings.filter((f) => f.ruleId.startsWith('SECRET-'));
  assert.deepEqual(
    secrets.map((f) => `${f.ruleId}@${f.start}-${f.end}`),
    [],
    `${name}: expected no secret finding`,
  );
}

const hex = (seed: number) => fakeSecret('azure-hex-key', seed);
const b64 = (s: string) => encodeBase64(new TextEncoder().encode(s));

describe('families: Azure AI services keys (Speech, Translator, OpenAI, Maps, Content Safety, Document Intelligence)', () => {
  const cask = fakeSecret('azure-ai-services-key', 1);
  const cases: Positive[] = [
    { name: '84-char key in a curl command in a README', file: 'README.md', text: (s) => `curl -X POST "https://westeurope.api.cognitive.microsoft.com/sts/v1.0/issueToken" -H "Ocp-Apim-Subscription-Key: ${s}"`, secret: cask, rule: IDENTIFIABLE, kind: 'Azure AI services key' },
    { name: '84-char key in an .http file api-key header', file: 'chat.http', text: (s) => `POST https://contoso.openai.azure.com/openai/deployments/gpt/chat/completions?api-version=2024-06-01\napi-key: ${s}\n`, secret: cask, rule: IDENTIFIABLE, kind: 'Azure AI services key' },
    {
      name: '84-char key layout with a checksum that does not verify, next to an api-key header',
      file: 'chat.http',
      text: (s) => `POST https://contoso.openai.azure.com/openai/deployments/gpt/chat/completions\napi-key: ${s}\n`,
      secret: cask.slice(0, 83) + (cask[83] === 'A' ? 'B' : 'A'),
      rule: KEY_SETTING,
      kind: 'Azure AI services key',
    },
    { name: 'Translator 32-hex key in curl', file: 'translate.sh', text: (s) => `curl -X POST "https://api.cognitive.microsofttranslator.com/translate?api-version=3.0&to=fr" \\\n  -H "Ocp-Apim-Subscription-Key: ${s}" \\\n  -H "Ocp-Apim-Subscription-Region: westeurope"`, secret: hex(2), rule: KEY_SETTING, kind: 'Azure AI services key' },
    { name: 'Azure OpenAI 32-hex key in an .http file', file: 'openai.http', text: (s) => `POST https://contoso.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-06-01\nContent-Type: application/json\napi-key: ${s}\n`, secret: hex(3), rule: KEY_SETTING, kind: 'Azure OpenAI key' },
    { name: 'C# request header Add', file: 'Translator.cs', text: (s) => `client.DefaultRequestHeaders.Add("Ocp-Apim-Subscription-Key", "${s}");`, secret: hex(4), rule: KEY_SETTING, kind: 'Azure AI services key' },
    { name: 'JS setRequestHeader', file: 'speech.js', text: (s) => `xhr.setRequestHeader('Ocp-Apim-Subscription-Key', '${s}');`, secret: hex(5), rule: KEY_SETTING, kind: 'Azure AI services key' },
    { name: 'Python Speech SDK SpeechConfig(subscription=)', file: 'stt.py', text: (s) => `speech_config = speechsdk.SpeechConfig(subscription="${s}", region="westeurope")`, secret: hex(6), rule: KEY_SETTING, kind: 'Azure AI services key' },
    { name: 'C# SpeechConfig.FromSubscription', file: 'Program.cs', text: (s) => `var config = SpeechConfig.FromSubscription("${s}", "westeurope");`, secret: hex(7), rule: KEY_SETTING, kind: 'Azure AI services key' },
    { name: 'Content Safety AzureKeyCredential (C#)', file: 'Safety.cs', text: (s) => `var endpoint = "https://contoso.cognitiveservices.azure.com/";\nvar client = new ContentSafetyClient(new Uri(endpoint), new AzureKeyCredential("${s}"));`, secret: hex(8), rule: KEY_SETTING, kind: 'Azure AI services key' },
    { name: 'Document Intelligence AzureKeyCredential (Python)', file: 'di.py', text: (s) => `client = DocumentIntelligenceClient(endpoint="https://contoso.cognitiveservices.azure.com/", credential=AzureKeyCredential("${s}"))`, secret: hex(9), rule: KEY_SETTING, kind: 'Azure AI services key' },
    { name: 'Maps 32-hex subscription-key query parameter', file: 'map.js', text: (s) => `fetch(\`https://atlas.microsoft.com/search/address/json?api-version=1.0&subscription-key=${s}&query=Seattle\`)`, secret: hex(10), rule: KEY_SETTING, kind: 'Azure Maps key' },
    { name: 'Maps base64 key in an AzureKeyCredential', file: 'maps.ts', text: (s) => `// Azure Maps\nconst client = MapsSearch(new AzureKeyCredential("${s}"));`, secret: fakeSecret('azure-maps-key', 1), rule: KEY_SETTING, kind: 'Azure Maps key' },
    { name: '*Key setting name in appsettings.json', file: 'appsettings.json', text: (s) => JSON.stringify({ Speech: { SpeechKey: s, Region: 'westeurope' } }, null, 2), secret: hex(11), rule: KEY_SETTING, kind: 'Azure AI services key' },
  ];
  for (const c of cases) it(c.name, () => expectFinding(c));
});

describe('families: Azure AI Search query and admin keys', () => {
  const cases: Positive[] = [
    { name: 'identifiable admin key (AzSe, admin seed)', file: 'search.py', text: (s) => `admin_key = "${s}"`, secret: fakeSecret('azure-search-admin-key', 1), rule: IDENTIFIABLE, kind: 'Azure AI Search admin key' },
    { name: 'identifiable query key (AzSe, query seed)', file: 'search.js', text: (s) => `const key = "${s}";`, secret: fakeSecret('azure-search-key', 1), rule: IDENTIFIABLE, kind: 'Azure AI Search query key' },
    { name: '32-hex admin key in an api-key header with a search endpoint', file: 'search.http', text: (s) => `PUT https://contoso.search.windows.net/indexes/hotels?api-version=2024-07-01\nContent-Type: application/json\napi-key: ${s}\n`, secret: hex(12), rule: KEY_SETTING, kind: 'Azure AI Search admin key' },
    { name: '32-hex query key in a Python SearchClient', file: 'query.py', text: (s) => `client = SearchClient(endpoint="https://contoso.search.windows.net", index_name="hotels", credential=AzureKeyCredential("${s}"))  # query key`, secret: hex(13), rule: KEY_SETTING, kind: 'Azure AI Search query key' },
    { name: '32-hex key in a PowerShell header table', file: 'create-index.ps1', text: (s) => `$url = "https://contoso.search.windows.net/indexes?api-version=2024-07-01"\n$headers = @{ 'api-key' = '${s}'; 'Content-Type' = 'application/json' }`, secret: hex(14), rule: KEY_SETTING, kind: 'Azure AI Search admin key' },
  ];
  for (const c of cases) it(c.name, () => expectFinding(c));
});

describe('families: Azure Functions keys in ?code= URLs and x-functions-key headers', () => {
  const azfu = fakeSecret('azure-functions-key', 1);
  const legacy = fakeSecret('azure-functions-key-legacy', 1);
  const cases: Positive[] = [
    { name: 'identifiable key percent-encoded in a ?code= URL', file: 'client.js', text: (s) => `await fetch("https://contoso-fn.azurewebsites.net/api/Orders?code=${s}");`, secret: encodeURIComponent(azfu), rule: IDENTIFIABLE, kind: 'Azure Functions key' },
    { name: 'legacy key in a ?code= URL', file: 'client.py', text: (s) => `requests.post("https://contoso-fn.azurewebsites.net/api/HttpTrigger1?code=${s}", json=body)`, secret: legacy, rule: KEY_SETTING, kind: 'Azure Functions key' },
    { name: 'legacy key percent-encoded after other parameters (PowerShell)', file: 'call.ps1', text: (s) => `Invoke-RestMethod -Uri "https://contoso-fn.azurewebsites.net/api/Orders?name=x&code=${s}" -Method Post`, secret: encodeURIComponent(legacy), rule: KEY_SETTING, kind: 'Azure Functions key' },
    { name: 'legacy key in a README on a custom domain /api/ route of a function app', file: 'README.md', text: (s) => `Call the Azure Functions endpoint:\n\n    https://orders.contoso.com/api/Orders?code=${s}\n`, secret: legacy, rule: KEY_SETTING, kind: 'Azure Functions key' },
    { name: 'legacy key in an x-functions-key header (curl)', file: 'call.sh', text: (s) => `curl -X POST https://contoso-fn.azurewebsites.net/api/Orders -H "x-functions-key: ${s}"`, secret: legacy, rule: KEY_SETTING, kind: 'Azure Functions key' },
    { name: 'legacy key in an x-functions-key header (C#)', file: 'Client.cs', text: (s) => `request.Headers.Add("x-functions-key", "${s}");`, secret: legacy, rule: KEY_SETTING, kind: 'Azure Functions key' },
  ];
  for (const c of cases) it(c.name, () => expectFinding(c));
});

describe('families: Storage and Cosmos DB account keys written in prose', () => {
  const key = fakeSecret('azure-storage-key-legacy', 1);
  const cases: Positive[] = [
    { name: 'README "Storage account key:"', file: 'README.md', text: (s) => `## Setup\n\nStorage account key: \`${s}\`\n`, secret: key, rule: KEY_SETTING, kind: 'Azure Storage account key' },
    { name: 'runbook "the storage key is"', file: 'runbook.txt', text: (s) => `If the job fails, the storage key is ${s} (rotate after use).`, secret: key, rule: KEY_SETTING, kind: 'Azure Storage account key' },
    { name: 'runbook Cosmos DB primary key', file: 'ops/runbook.md', text: (s) => `- Cosmos DB primary key: ${s}`, secret: key, rule: KEY_SETTING, kind: 'Azure Cosmos DB account key' },
    { name: 'markdown table key1', file: 'NOTES.md', text: (s) => `| name | value |\n|---|---|\n| key1 | ${s} |`, secret: key, rule: KEY_SETTING, kind: 'Azure Storage account key' },
    {
      name: 'notebook cell',
      file: 'analysis.ipynb',
      text: (s) => JSON.stringify({ cells: [{ cell_type: 'code', metadata: {}, source: ['from azure.storage.blob import BlobServiceClient\n', `storage_key = "${s}"\n`] }], nbformat: 4 }, null, 1),
      secret: key,
      rule: KEY_SETTING,
      kind: 'Azure Storage account key',
    },
  ];
  for (const c of cases) it(c.name, () => expectFinding(c));
});

describe('families: Kubernetes Secret manifests (base64 data decoded, then scanned)', () => {
  const legacy = fakeSecret('azure-storage-key-legacy', 2);
  const secretDoc = (data: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secrets\ntype: Opaque\ndata:\n${data}`;
  const cases: Positive[] = [
    {
      name: 'storage connection string in data',
      file: 'k8s/secret.yaml',
      text: (s) => secretDoc(`  AzureWebJobsStorage: ${b64(`DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=${s};EndpointSuffix=core.windows.net`)}\n`),
      secret: legacy,
      covers: b64(`DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=${legacy};EndpointSuffix=core.windows.net`),
      rule: 'SECRET-CONNECTION-STRING',
      kind: /^Azure Storage account key \(base64-encoded in a Kubernetes Secret\)$/,
    },
    {
      name: 'identifiable storage key in an AKS Azure Files secret',
      file: 'azure-files-secret.yaml',
      text: (s) => secretDoc(`  azurestorageaccountname: ${b64('contoso')}\n  azurestorageaccountkey: ${b64(s)}\n`),
      secret: fakeSecret('azure-storage-key', 3),
      covers: b64(fakeSecret('azure-storage-key', 3)),
      rule: IDENTIFIABLE,
      kind: /base64-encoded in a Kubernetes Secret/,
    },
    {
      name: 'legacy storage key under azurestorageaccountkey',
      file: 'azure-files-secret.yaml',
      text: (s) => secretDoc(`  azurestorageaccountname: ${b64('contoso')}\n  azurestorageaccountkey: ${b64(s)}\n`),
      secret: legacy,
      covers: b64(legacy),
      rule: KEY_SETTING,
      kind: /^Azure Storage account key \(base64-encoded/,
    },
    {
      name: 'TLS private key (tls.key) in a kubernetes.io/tls Secret',
      file: 'tls.yaml',
      text: (s) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: kubernetes.io/tls\ndata:\n  tls.key: ${b64(s)}\n`,
      secret: fakeSecret('rsa-private-key', 1),
      covers: b64(fakeSecret('rsa-private-key', 1)),
      rule: 'SECRET-PRIVATE-KEY',
      kind: /base64-encoded in a Kubernetes Secret/,
    },
    {
      name: 'Secret after a ConfigMap in a multi-document file',
      file: 'deploy.yaml',
      text: (s) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  mode: prod\n---\n${secretDoc(`  OPENAI_KEY: ${b64(s)}\n`)}`,
      secret: fakeSecret('azure-openai-key', 4),
      covers: b64(fakeSecret('azure-openai-key', 4)),
      rule: IDENTIFIABLE,
      kind: 'Azure AI services key (base64-encoded in a Kubernetes Secret)',
    },
    {
      name: 'stringData value (plain text) is found as written',
      file: 'secret.yaml',
      text: (s) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  search-admin-key: ${s}\n`,
      secret: fakeSecret('azure-search-admin-key', 2),
      rule: IDENTIFIABLE,
      kind: 'Azure AI Search admin key',
    },
  ];
  for (const c of cases) it(c.name, () => expectFinding(c));
});

describe('families: database URIs with a percent-encoded password', () => {
  const pw = fakeSecret('password', 5);
  const cosmosMongo = encodeURIComponent(fakeSecret('azure-storage-key-legacy', 6));
  const cases: Positive[] = [
    { name: 'mongodb+srv in .env', file: '.env', text: (s) => `MONGO_URL=mongodb+srv://app:${s}@cluster0.abcde.mongodb.net/orders?retryWrites=true\n`, secret: encodeURIComponent(`${pw}@/:`), rule: 'SECRET-URI-CREDENTIALS', kind: 'MongoDB password' },
    { name: 'postgresql in Python', file: 'db.py', text: (s) => `DATABASE_URL = "postgresql://app:${s}@contoso.postgres.database.azure.com:5432/app?sslmode=require"`, secret: encodeURIComponent(`${pw}#%`), rule: 'SECRET-URI-CREDENTIALS', kind: 'PostgreSQL password' },
    { name: 'Cosmos DB for MongoDB key with %3D%3D', file: 'appsettings.json', text: (s) => JSON.stringify({ Mongo: { Uri: `mongodb://contoso:${s}@contoso.mongo.cosmos.azure.com:10255/?ssl=true&replicaSet=globaldb` } }), secret: cosmosMongo, rule: 'SECRET-URI-CREDENTIALS', kind: 'MongoDB password' },
  ];
  for (const c of cases) it(c.name, () => expectFinding(c));
});

describe('families: hard negatives', () => {
  it('placeholders, variables and templates after the headers', () => {
    for (const v of ['<your-key>', 'YOUR_SUBSCRIPTION_KEY', '{{apiKey}}', '$AZURE_OPENAI_KEY', '${SPEECH_KEY}', '00000000000000000000000000000000', '0123456789abcdef0123456789abcdef']) {
      expectNoSecretFinding(`Ocp-Apim-Subscription-Key ${v.length}`, 'call.sh', `curl https://westeurope.api.cognitive.microsoft.com/ -H "Ocp-Apim-Subscription-Key: ${v}"`);
      expectNoSecretFinding(`api-key ${v.length}`, 'openai.http', `POST https://contoso.openai.azure.com/openai/deployments/x/chat/completions\napi-key: ${v}\n`);
    }
  });

  it('hex test vectors, digests and repetitions are not keys', () => {
    const md5Empty = ['d41d8cd9', '8f00b204', 'e9800998', 'ecf8427e'].join('');
    for (const v of [md5Empty, 'deadbeefcafebabe'.repeat(2), 'a1b2c3d4'.repeat(4), '1f2e3d4c5b6a7988'.repeat(2), 'ABCDEF0123456789abcdef0123456789', 'fedcba9876543210'.repeat(2)]) assert.equal(isRandomHexKey(v), false, `vector ${v.slice(0, 4)}…`);
    assert.equal(isRandomHexKey(hex(30)), true);
  });

  it('api-key and x-api-key headers of other services', () => {
    expectNoSecretFinding('x-api-key', 'call.sh', `curl https://abc123.execute-api.us-east-1.amazonaws.com/prod -H "x-api-key: ${hex(31)}"`);
    expectNoSecretFinding('api-key without an Azure endpoint', 'mail.sh', `curl https://api.example-mailer.com/v3/smtp/email -H "api-key: ${hex(32)}"`);
  });

  it('?code= outside Azure Functions (OAuth callbacks) and placeholders in function URLs', () => {
    const legacy = fakeSecret('azure-functions-key-legacy', 3);
    expectNoSecretFinding('OAuth callback', 'README.md', `Redirected to https://app.example.com/auth/callback?code=${legacy}&state=xyz`);
    expectNoSecretFinding('placeholder code', 'README.md', 'POST https://contoso-fn.azurewebsites.net/api/Orders?code=<your-function-key>');
    expectNoSecretFinding('pipeline variable', 'azure-pipelines.yml', 'steps:\n  - script: curl "https://contoso-fn.azurewebsites.net/api/Orders?code=$(FunctionKey)"\n');
    expectNoSecretFinding('repeated characters', 'README.md', `POST https://contoso-fn.azurewebsites.net/api/Orders?code=${'A'.repeat(54)}==`);
  });

  it('88-character base64 values that are digests, signatures, public emulator keys or placeholders', () => {
    const v = fakeSecret('azure-storage-key-legacy', 7);
    expectNoSecretFinding('sha512 integrity', 'README.md', `The package integrity is sha512-${v} and the storage key is rotated.`);
    expectNoSecretFinding('signature', 'NOTES.md', `Account key signature: ${v}`);
    expectNoSecretFinding('Azurite key in a README', 'README.md', `Use the Azurite storage account key: ${publicDevKey('azurite')}`);
    expectNoSecretFinding('Cosmos emulator key in a README', 'README.md', `Cosmos DB emulator primary key: ${publicDevKey('cosmos-emulator')}`);
    expectNoSecretFinding('placeholder', 'README.md', `Storage account key: ${'x'.repeat(86)}==`);
    expectNoSecretFinding('no key words', 'README.md', `Example output: ${v}`);
  });

  it('Kubernetes: placeholder data, ConfigMaps, binary data and Helm templates', () => {
    expectNoSecretFinding('placeholder data', 'secret.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: ${b64('changeme')}\n  username: ${b64('admin')}\n`);
    const key = fakeSecret('azure-storage-key-legacy', 8);
    expectNoSecretFinding('ConfigMap is not decoded', 'cm.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  blob: ${b64(`note ${key.slice(0, 40)}`)}\n`);
    const binary = encodeBase64(new Uint8Array([0, 1, 2, 3, 250, 251, 252, 253, 4, 5, 6, 7]));
    expectNoSecretFinding('binary data', 'secret.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  keystore: ${binary}\n`);
    expectNoSecretFinding('Helm template', 'templates/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: {{ .Values.password | b64enc | quote }}\n');
  });
});

describe('families: editor re-checks agree with a full check for keys judged by the whole file', () => {
  const key = hex(40);
  const keySettings = (r: { findings: { ruleId: string; start: number; end: number }[] }) => r.findings.filter((f) => f.ruleId === KEY_SETTING).map((f) => `${f.start}-${f.end}`);
  const edit = (inc: IncrementalScanner, before: string, at: number, insert: string) => {
    const after = before.slice(0, at) + insert + before.slice(at);
    return { after, result: inc.update(after, { unchangedPrefix: at, unchangedSuffix: before.length - at }) };
  };

  it('editing the api-key line keeps the key whose endpoint is named further up', () => {
    const text = `POST https://contoso.openai.azure.com/openai/deployments/x/chat/completions\nContent-Type: application/json\nAccept: application/json\n\napi-key: ${key}\n`;
    const inc = new IncrementalScanner('chat.http');
    assert.equal(keySettings(inc.full(text)).length, 1);
    const { after, result } = edit(inc, text, text.indexOf('api-key:') + 8, ' ');
    assert.deepEqual(keySettings(result), keySettings(scanText(after, 'chat.http')));
    assert.equal(keySettings(result).length, 1);
  });

  it('typing the endpoint reports the api-key header further down', () => {
    const text = `Content-Type: application/json\nAccept: application/json\n\napi-key: ${key}\n`;
    const inc = new IncrementalScanner('chat.http');
    assert.equal(keySettings(inc.full(text)).length, 0);
    const { after, result } = edit(inc, text, 0, 'POST https://contoso.openai.azure.com/openai/deployments/x/chat/completions\n');
    assert.deepEqual(keySettings(result), keySettings(scanText(after, 'chat.http')));
    assert.equal(keySettings(result).length, 1);
  });
});
