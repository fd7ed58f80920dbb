import * as assert from 'node:assert/strict';
import { scanText } from '../../src/core/engine';
import { crc32, marvin32, marvin64, seedFromHex } from '../../src/core/rules/secrets/checksums';
import { validateAdoPat } from '../../src/core/rules/secrets/devopsPat';
import { validateAadSecret } from '../../src/core/rules/secrets/entraSecret';
import { validateCaskKey, validateIdentifiableKey, KEY_SPECS } from '../../src/core/rules/secrets/identifiableKey';
import { validateBase62Crc } from '../../src/core/rules/secrets/thirdPartyToken';
import { FAKE_SECRET_KINDS, fakeSecret, publicDevKey } from '../support/fakeSecrets';

// Every secret below is assembled at run time by fakeSecrets.ts; failure messages name the kind, never the value.

interface Case {
  name: string;
  file: string;
  /** Builds the document around the secret. */
  text: (s: string) => string;
  secret: string;
  rule: string;
  setting?: string;
}

function expectFinding(c: Case): void {
  const text = c.text(c.secret);
  const r = scanText(text, c.file);
  const hits = r.findings.filter((f) => text.slice(f.start, f.end) === c.secret);
  assert.ok(hits.length > 0, `${c.name}: no finding covering exactly the secret (got ${r.findings.map((f) => `${f.ruleId}@${f.start}-${f.end}`).join(', ') || 'none'})`);
  assert.equal(hits[0].ruleId, c.rule, `${c.name}: rule`);
  if (c.setting) assert.equal(hits[0].settingName, c.setting, `${c.name}: setting name`);
  for (const f of r.findings) assert.ok(!f.message.includes(c.secret), `${c.name}: message leaks the value`);
}

function runTable(cases: Case[]): void {
  for (const c of cases) it(c.name, () => expectFinding(c));
}

const arm = (name: string) => (s: string) =>
  JSON.stringify({ resources: [{ type: 'Microsoft.Web/sites', properties: { siteConfig: { appSettings: [{ name, value: s }] } } }] }, null, 2);
const appsettings = (section: string, key: string) => (s: string) => JSON.stringify({ [section]: { [key]: s } }, null, 2);

describe('secrets: checksums', () => {
  it('Marvin32 matches the published test vectors (seed 0x004FB61A001BDBCC)', () => {
    const s0 = seedFromHex('004fb61a001bdbcc');
    const hex = (x: [number, number]) => x.map((n) => n.toString(16).padStart(8, '0')).join('');
    assert.equal(hex(marvin64(new Uint8Array([]), s0)), '30ed35c100cd3c7d');
    assert.equal(hex(marvin64(new Uint8Array([0xaf]), s0)), '48e73fc77d75ddc1');
    assert.equal(hex(marvin64(new Uint8Array([0xe7, 0x0f]), s0)), 'b5f6e1fc485dbff8');
    assert.equal(hex(marvin64(new Uint8Array([0x37, 0xf4, 0x95]), s0)), 'f0b07c789b8cf7e8');
    assert.equal(hex(marvin64(new Uint8Array([0x86, 0x42, 0xdc, 0x59]), s0)), '7008f2e87e9cf556');
    assert.equal(marvin32(new TextEncoder().encode('abc'), seedFromHex('d53cd9cecd0893b7')), 0x6be02a86);
    assert.equal(hex(marvin64(new TextEncoder().encode('abcdefghijklmnopqrstuvwxyz'), seedFromHex('0ddddeeeeffff000'))), 'a128eb7e7260aca2');
  });

  it('CRC-32 is the IEEE one', () => assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926));

  it('fake identifiable keys validate, and one flipped character breaks the checksum', () => {
    for (const spec of KEY_SPECS) {
      const kind = FAKE_SECRET_KINDS.find((k) => fakeSecret(k, 4).includes(spec.signature) && validateIdentifiableKey(fakeSecret(k, 4), spec));
      if (!kind) continue; // not every signature has a fake kind
      const key = fakeSecret(kind, 4);
      const i = 3;
      const flipped = key.slice(0, i) + (key[i] === 'A' ? 'B' : 'A') + key.slice(i + 1);
      assert.equal(validateIdentifiableKey(flipped, spec), false, `${kind} with a changed character`);
    }
    assert.ok(validateCaskKey(fakeSecret('azure-openai-key', 2)));
    assert.ok(validateAadSecret(fakeSecret('entra-client-secret', 2)));
    assert.ok(validateAdoPat(fakeSecret('azure-devops-pat-legacy', 2)));
    assert.ok(validateBase62Crc(fakeSecret('github-pat', 2)));
    assert.ok(validateBase62Crc(fakeSecret('npm-token', 2)));
  });

  it('fakeSecret is deterministic per seed and varies across seeds', () => {
    for (const k of FAKE_SECRET_KINDS) {
      assert.equal(fakeSecret(k, 9), fakeSecret(k, 9), k);
      assert.notEqual(fakeSecret(k, 9), fakeSecret(k, 10), k);
    }
    assert.throws(() => fakeSecret('no-such-kind'));
  });
});

describe('SECRET-AZURE-IDENTIFIABLE-KEY', () => {
  const id = 'SECRET-AZURE-IDENTIFIABLE-KEY';
  const kinds = [
    'azure-storage-key', 'azure-cosmos-key', 'azure-batch-key', 'azure-apim-key', 'azure-servicebus-key', 'azure-eventhubs-key', 'azure-relay-key',
    'azure-redis-key', 'azure-iot-key', 'azure-search-key', 'azure-acr-key', 'azure-functions-key', 'azure-openai-key', 'azure-eventgrid-key',
  ];
  runTable([
    ...kinds.map((k, i): Case => ({ name: `${k} in ARM appSettings`, file: 'azuredeploy.json', text: arm('MY_SETTING'), secret: fakeSecret(k, i), rule: id, setting: 'MY_SETTING' })),
    { name: 'storage key in Bicep', file: 'main.bicep', text: (s) => `var k = '${s}'\n`, secret: fakeSecret('azure-storage-key', 21), rule: id },
    { name: 'cosmos key in Terraform', file: 'main.tf', text: (s) => `locals {\n  k = "${s}"\n}\n`, secret: fakeSecret('azure-cosmos-key', 22), rule: id },
    { name: 'search key in .env', file: '.env', text: (s) => `SEARCH=${s}\n`, secret: fakeSecret('azure-search-key', 23), rule: id },
    { name: 'functions key in YAML', file: 'pipeline.yml', text: (s) => `env:\n  FN: ${s}\n`, secret: fakeSecret('azure-functions-key', 24), rule: id },
    { name: 'redis key in C#', file: 'Program.cs', text: (s) => `var k = "${s}";`, secret: fakeSecret('azure-redis-key', 25), rule: id },
    { name: 'openai key in Python', file: 'app.py', text: (s) => `client = AzureOpenAI(api_key="${s}")`, secret: fakeSecret('azure-openai-key', 26), rule: id },
    { name: 'service bus key in web.config', file: 'web.config', text: (s) => `<appSettings>\n  <add key="Bus" value="${s}" />\n</appSettings>`, secret: fakeSecret('azure-servicebus-key', 27), rule: id },
  ]);

  it('ignores a signature-bearing string with a wrong checksum', () => {
    const key = fakeSecret('azure-storage-key', 30);
    const broken = key.slice(0, 10) + (key[10] === 'x' ? 'y' : 'x') + key.slice(11);
    const r = scanText(`const k = "${broken}";`, 'a.js');
    assert.ok(!r.findings.some((f) => f.ruleId === id));
  });
});

describe('SECRET-ENTRA-CLIENT-SECRET', () => {
  const id = 'SECRET-ENTRA-CLIENT-SECRET';
  runTable([
    { name: 'appsettings AzureAd:ClientSecret', file: 'appsettings.json', text: appsettings('AzureAd', 'ClientSecret'), secret: fakeSecret('entra-client-secret', 1), rule: id, setting: 'ClientSecret' },
    { name: '.env AZURE_CLIENT_SECRET', file: '.env', text: (s) => `AZURE_CLIENT_SECRET=${s}\n`, secret: fakeSecret('entra-client-secret', 2), rule: id },
    { name: 'legacy 7Q~ secret in JS', file: 'auth.js', text: (s) => `const clientSecret = '${s}';`, secret: fakeSecret('entra-client-secret-legacy', 3), rule: id },
    { name: 'YAML pipeline', file: 'deploy.yml', text: (s) => `variables:\n  spSecret: "${s}"\n`, secret: fakeSecret('entra-client-secret', 4), rule: id },
  ]);
});

describe('SECRET-CONNECTION-STRING', () => {
  const id = 'SECRET-CONNECTION-STRING';
  const legacy = fakeSecret('azure-storage-key-legacy', 1);
  const sas = fakeSecret('azure-sas-key-legacy', 2);
  const pw = fakeSecret('password', 3);
  runTable([
    { name: 'storage AccountKey in local.settings.json', file: 'local.settings.json', text: (s) => JSON.stringify({ Values: { AzureWebJobsStorage: `DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=${s};EndpointSuffix=core.windows.net` } }, null, 2), secret: legacy, rule: id, setting: 'AzureWebJobsStorage' },
    { name: 'Service Bus SharedAccessKey in .env', file: '.env', text: (s) => `SB=Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${s}\n`, secret: sas, rule: id },
    { name: 'Cosmos AccountKey in C#', file: 'Db.cs', text: (s) => `var cs = "AccountEndpoint=https://contoso.documents.azure.com:443/;AccountKey=${s};";`, secret: legacy, rule: id },
    { name: 'SQL Password in appsettings', file: 'appsettings.json', text: (s) => JSON.stringify({ ConnectionStrings: { Db: `Server=tcp:contoso.database.windows.net,1433;Initial Catalog=orders;User ID=app;Password=${s};Encrypt=True;` } }), secret: pw, rule: id, setting: 'Db' },
    { name: 'SQL Pwd in web.config', file: 'web.config', text: (s) => `<connectionStrings>\n  <add name="Db" connectionString="Data Source=db;Initial Catalog=x;Uid=sa;Pwd=${s};" />\n</connectionStrings>`, secret: pw, rule: id },
    { name: 'PostgreSQL Password in YAML', file: 'values.yaml', text: (s) => `db: "Host=pg.postgres.database.azure.com;Database=app;Username=app;Password=${s};Ssl Mode=Require"\n`, secret: pw, rule: id },
    { name: 'Redis password in Terraform', file: 'main.tf', text: (s) => `value = "contoso.redis.cache.windows.net:6380,password=${s},ssl=True,abortConnect=False"\n`, secret: pw, rule: id },
    { name: 'ARM storage connection string', file: 'azuredeploy.json', text: (s) => arm('AzureWebJobsStorage')(`DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${s}`), secret: legacy, rule: id, setting: 'AzureWebJobsStorage' },
  ]);
});

describe('SECRET-AZURE-KEY-SETTING', () => {
  const id = 'SECRET-AZURE-KEY-SETTING';
  runTable([
    { name: '88-char key under StorageAccountKey (appsettings)', file: 'appsettings.json', text: appsettings('Storage', 'StorageAccountKey'), secret: fakeSecret('azure-storage-key-legacy', 1), rule: id, setting: 'StorageAccountKey' },
    { name: '44-char key under RedisKey (.env)', file: '.env', text: (s) => `REDIS_KEY=${s}\n`, secret: fakeSecret('azure-sas-key-legacy', 2), rule: id },
    { name: '32-hex search api key (Bicep param)', file: 'main.bicepparam', text: (s) => `param searchApiKey = '${s}'\n`, secret: fakeSecret('azure-hex-key', 3), rule: id },
    { name: '32-hex cognitive key in ARM parameters', file: 'azuredeploy.parameters.json', text: (s) => JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', parameters: { cognitiveKey: { value: s } } }, null, 2), secret: fakeSecret('azure-hex-key', 4), rule: id, setting: 'cognitiveKey' },
    { name: 'Cosmos key next to documents.azure.com in C#', file: 'Repo.cs', text: (s) => `new CosmosClient("https://contoso.documents.azure.com:443/", "${s}");`, secret: fakeSecret('azure-storage-key-legacy', 5), rule: id },
    { name: 'web.config add key', file: 'web.config', text: (s) => `<add key="SearchApiKey" value="${s}" />`, secret: fakeSecret('azure-hex-key', 6), rule: id },
  ]);
});

describe('SECRET-URI-CREDENTIALS', () => {
  const id = 'SECRET-URI-CREDENTIALS';
  const pw = fakeSecret('password', 7);
  const schemes = ['mongodb', 'mongodb+srv', 'postgres', 'postgresql', 'mysql', 'redis', 'rediss', 'amqp', 'amqps', 'https'];
  runTable([
    ...schemes.map((sch): Case => ({ name: `${sch}:// in .env`, file: '.env', text: (s) => `URL=${sch}://app:${s}@host.example.net:1234/db\n`, secret: pw, rule: id })),
    { name: 'mongodb URI in appsettings', file: 'appsettings.json', text: (s) => JSON.stringify({ Mongo: { Uri: `mongodb://app:${s}@cluster0.mongo.net/db` } }), secret: pw, rule: id },
    { name: 'JSON-escaped slashes: range over the raw content', file: 'settings.json', text: (s) => `{ "db": "${s}" }`, secret: `mongodb:\\/\\/app:${pw}@h`, rule: id },
  ]);
});

describe('SECRET-SAS-TOKEN', () => {
  const id = 'SECRET-SAS-TOKEN';
  const sig = encodeURIComponent(fakeSecret('sas-signature', 1));
  runTable([
    { name: 'blob SAS URL in appsettings', file: 'appsettings.json', text: (s) => JSON.stringify({ Blob: { Url: `https://contoso.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=${s}` } }), secret: sig, rule: id },
    { name: 'SAS token in .env', file: '.env', text: (s) => `SAS=sv=2022-11-02&sp=r&se=2030-01-01&sr=b&sig=${s}\n`, secret: sig, rule: id },
    { name: 'SAS in XML with &amp;', file: 'web.config', text: (s) => `<add key="Blob" value="https://x.blob.core.windows.net/c?sv=2022-11-02&amp;sp=r&amp;se=2030-01-01&amp;sig=${s}" />`, secret: sig, rule: id },
    { name: 'Service Bus SAS token in C#', file: 'Bus.cs', text: (s) => `var t = "SharedAccessSignature sr=https%3A%2F%2Fx.servicebus.windows.net&sig=${s}&se=1900000000&skn=send";`, secret: sig, rule: id },
  ]);
});

describe('SECRET-PRIVATE-KEY', () => {
  const id = 'SECRET-PRIVATE-KEY';
  runTable([
    ...['rsa-private-key', 'ec-private-key', 'pkcs8-private-key', 'encrypted-private-key', 'openssh-private-key'].map((k, i): Case => ({ name: `${k} file`, file: 'key.pem', text: (s) => `${s}\n`, secret: fakeSecret(k, i), rule: id })),
    { name: 'private key in YAML block scalar', file: 'secret.yaml', text: (s) => `data:\n  tls.key: |\n    ${s}\n`, secret: fakeSecret('ec-private-key', 9).split('\n').join('\n    '), rule: id },
    // The marker search looks for 'BEGIN ' first: earlier 'BEGIN ' and dashes must not hide the block.
    { name: 'key after a BEGIN and dashes elsewhere in code', file: 'certs.js', text: (s) => `// BEGIN --- --BEGIN x\nconst k = \`${s}\`;\n`, secret: fakeSecret('pkcs8-private-key', 10), rule: id },
  ]);
  it('finds a key escaped inside a JSON string, over the raw content', () => {
    const key = fakeSecret('rsa-private-key', 10);
    const text = JSON.stringify({ privateKey: key });
    const raw = JSON.stringify(key).slice(1, -1);
    const r = scanText(text, 'sa.json');
    assert.ok(r.findings.some((f) => f.ruleId === id && text.slice(f.start, f.end) === raw));
  });
});

describe('SECRET-JWT', () => {
  const id = 'SECRET-JWT';
  runTable([
    { name: 'bearer token in C#', file: 'Client.cs', text: (s) => `client.DefaultRequestHeaders.Add("Authorization", "Bearer ${s}");`, secret: fakeSecret('jwt', 1), rule: id },
    { name: 'token in YAML', file: 'config.yaml', text: (s) => `auth:\n  bearer: ${s}\n`, secret: fakeSecret('jwt', 2), rule: id },
  ]);
  it('rejects eyJ strings whose header is not JSON with alg', () => {
    const notJwt = `eyJ${'a'.repeat(20)}.eyJ${'b'.repeat(20)}.${'c'.repeat(30)}`;
    assert.equal(scanText(`x = "${notJwt}"`, 'a.js').findings.filter((f) => f.ruleId === id).length, 0);
  });
});

describe('SECRET-THIRD-PARTY-TOKEN', () => {
  const id = 'SECRET-THIRD-PARTY-TOKEN';
  const kinds = ['github-pat', 'github-oauth', 'github-app-token', 'github-fine-grained-pat', 'npm-token', 'aws-access-key-id', 'slack-token', 'stripe-key', 'sendgrid', 'openai-key', 'openai-legacy-key', 'gitlab-pat', 'google-api-key', 'twilio-api-key', 'databricks-pat'];
  runTable([
    ...kinds.map((k, i): Case => ({ name: `${k} in JS`, file: 'index.js', text: (s) => `const client = make({ credential: "${s}" });`, secret: fakeSecret(k, i), rule: id })),
    { name: 'AWS secret key by name in .env', file: '.env', text: (s) => `AWS_SECRET_ACCESS_KEY=${s}\n`, secret: fakeSecret('aws-secret-access-key', 1), rule: id },
    { name: 'GitHub token in workflow YAML', file: '.github/workflows/ci.yml', text: (s) => `env:\n  GH_TOKEN: ${s}\n`, secret: fakeSecret('github-pat', 40), rule: id },
    { name: 'npm token in .npmrc-like line', file: 'npmrc', text: (s) => `//registry.npmjs.org/:_authToken=${s}`, secret: fakeSecret('npm-token', 41), rule: id },
  ]);
  it('requires the GitHub checksum', () => {
    const t = fakeSecret('github-pat', 42);
    const bad = t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A');
    assert.equal(scanText(`t = "${bad}"`, 'a.py').findings.filter((f) => f.ruleId === id).length, 0);
  });
  it('reports a GitHub token whose checksum holds even when its characters look like a placeholder', () => {
    // Seed 943315 gives a token whose random part ends in "XxXx" (the placeholder test's 'xxxx'); fuzzing found it missed.
    const token = fakeSecret('github-pat', 943315);
    assert.ok(token.toLowerCase().includes('xxxx') && validateBase62Crc(token));
    assert.equal(scanText(`FUZZ_KEY=${token}\n`, '.env').findings.filter((f) => f.ruleId === id).length, 1);
    // A made-up token of x's has no valid checksum and stays unreported.
    assert.equal(scanText(`FUZZ_KEY=${'gh' + 'p_'}${'x'.repeat(36)}\n`, '.env').findings.filter((f) => f.ruleId === id).length, 0);
  });
});

describe('SECRET-AZURE-DEVOPS-PAT', () => {
  const id = 'SECRET-AZURE-DEVOPS-PAT';
  runTable([
    { name: 'new 84-char AZDO PAT in .env', file: '.env', text: (s) => `ADO_TOKEN=${s}\n`, secret: fakeSecret('azure-devops-pat', 1), rule: id },
    { name: 'legacy PAT with checksum in YAML', file: 'azure-pipelines.yml', text: (s) => `variables:\n  token: ${s}\n`, secret: fakeSecret('azure-devops-pat-legacy', 2), rule: id },
    { name: 'legacy PAT near dev.azure.com', file: 'clone.sh', text: (s) => `git clone https://dev.azure.com/org/p/_git/r # pat ${s}`, secret: fakeSecret('azure-devops-pat-legacy', 3), rule: id },
    { name: 'legacy PAT by setting name', file: 'settings.json', text: (s) => JSON.stringify({ AzureDevOpsPat: s }), secret: fakeSecret('azure-devops-pat-legacy', 4), rule: id, setting: 'AzureDevOpsPat' },
  ]);

  // The search probes every 52nd character of a line: a PAT must be found wherever it starts, and only a whole run.
  it('finds legacy PATs at every offset of a long line, each once, and not inside a longer run', () => {
    const pats = [5, 6, 7].map((seed) => fakeSecret('azure-devops-pat-legacy', seed));
    for (let offset = 0; offset < 60; offset++) {
      const line = `${'x'.repeat(offset)} ${pats[0]};${pats[1]} // ${'-'.repeat(offset % 7)}${pats[2]}\n`;
      const found = scanText(`token = "${line}"`, 'a.sh').findings.filter((f) => f.ruleId === id);
      assert.equal(found.length, 3, `offset ${offset}: PATs found`);
    }
    // 52 base32 characters inside a 53-character run are not a PAT.
    const longer = scanText(`token = "${pats[0]}a"\n`, 'a.sh').findings.filter((f) => f.ruleId === id);
    assert.equal(longer.length, 0);
  });
});

describe('SECRET-GENERIC-PASSWORD', () => {
  const id = 'SECRET-GENERIC-PASSWORD';
  const pw = fakeSecret('password', 11);
  runTable([
    { name: '.env PASSWORD=', file: '.env', text: (s) => `DB_HOST=db\nDB_PASSWORD=${s}\n`, secret: pw, rule: id },
    { name: 'appsettings clientSecret', file: 'appsettings.json', text: appsettings('Auth', 'clientSecret'), secret: pw, rule: id, setting: 'clientSecret' },
    { name: 'local.settings.json ApiToken', file: 'local.settings.json', text: (s) => JSON.stringify({ IsEncrypted: false, Values: { ApiToken: s } }, null, 2), secret: pw, rule: id, setting: 'ApiToken' },
    { name: 'Python password =', file: 'db.py', text: (s) => `password = "${s}"`, secret: pw, rule: id },
    { name: 'C# const', file: 'Keys.cs', text: (s) => `private const string ApiKey = "${s}";`, secret: pw, rule: id },
    { name: 'TypeScript typed', file: 'cfg.ts', text: (s) => `const dbPassword: string = '${s}';`, secret: pw, rule: id },
    { name: 'web.config add key', file: 'web.config', text: (s) => `<add key="ApiKey" value="${s}"/>`, secret: pw, rule: id },
    { name: 'XML element', file: 'settings.xml', text: (s) => `<settings><Password>${s}</Password></settings>`, secret: pw, rule: id },
    { name: 'YAML password:', file: 'docker-compose.yml', text: (s) => `services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${s}\n`, secret: pw, rule: id },
    { name: 'Terraform admin_password', file: 'vm.tf', text: (s) => `  admin_password = "${s}"\n`, secret: pw, rule: id },
    { name: 'Bicep param default', file: 'main.bicep', text: (s) => `param adminPassword string = '${s}'\n`, secret: pw, rule: id },
    { name: 'ARM parameters file value', file: 'azuredeploy.parameters.json', text: (s) => JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', parameters: { adminPassword: { value: s } } }, null, 2), secret: pw, rule: id, setting: 'adminPassword' },
    { name: 'CLI flag', file: 'deploy.sh', text: (s) => `az vm create -n vm --admin-password "${s}"`, secret: pw, rule: id },
  ]);
  // The line scanner visits '=' and ':' operators in their order on the line.
  it('reads every assignment of a line that mixes = and : operators', () => {
    const other = fakeSecret('password', 12);
    const text = `const cfg = { host: "db", password: "${pw}" }; const apiSecret = "${other}"; let x = a ? b : c;\n`;
    const found = scanText(text, 'cfg.js').findings.filter((f) => f.ruleId === id).map((f) => text.slice(f.start, f.end));
    assert.deepEqual(found.length, 2);
    assert.ok(found[0] === pw && found[1] === other, 'both values, in line order');
  });
});

describe('hard negatives: never flagged', () => {
  const storage = fakeSecret('azure-storage-key-legacy', 50);
  const negatives: [string, string, string][] = [
    ['Key Vault reference (ARM)', 'azuredeploy.json', arm('DbPassword')('@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)')],
    ['Key Vault reference (VaultName form)', 'appsettings.json', JSON.stringify({ ConnectionStrings: { Db: '@Microsoft.KeyVault(VaultName=kv;SecretName=db)' } })],
    ['App Configuration reference', 'appsettings.json', JSON.stringify({ Secret: '@Microsoft.AppConfiguration(Endpoint=https://x.azconfig.io; Key=k)' })],
    ['${VAR}', '.env', 'DB_PASSWORD=${DB_PASSWORD}\n'],
    ['$(var) pipeline variable', 'azure-pipelines.yml', 'variables:\n  password: $(dbPassword)\n'],
    ['%VAR%', 'run.cmd', 'set PASSWORD=%DB_PASSWORD%\n'],
    ['${{ secrets.X }}', '.github/workflows/ci.yml', 'env:\n  API_TOKEN: ${{ secrets.API_TOKEN }}\n'],
    ['$env:X', 'deploy.ps1', '$password = $env:DB_PASSWORD\n'],
    ['process.env.X', 'index.js', 'const apiKey = process.env.API_KEY;\n'],
    ['os.environ[...]', 'app.py', 'password = os.environ["DB_PASSWORD"]\n'],
    ['os.getenv(...)', 'app.py', 'secret = os.getenv("CLIENT_SECRET")\n'],
    ['Environment.GetEnvironmentVariable', 'Program.cs', 'var password = Environment.GetEnvironmentVariable("DB_PASSWORD");\n'],
    ['#{token}#', 'web.config', '<add key="ApiKey" value="#{ApiKey}#" />'],
    ['__TOKEN__', 'appsettings.json', JSON.stringify({ ClientSecret: '__CLIENT_SECRET__' })],
    ['ARM parameters()', 'azuredeploy.json', arm('DbPassword')("[parameters('dbPassword')]")],
    ['ARM listKeys()', 'azuredeploy.json', arm('StorageKey')("[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'x'), '2023-01-01').keys[0].value]")],
    ['Bicep parameter reference', 'main.bicep', "param sqlPassword string\nvar cs = 'Server=x;Password=${sqlPassword};'\nresource r 'x@1' = {\n  properties: {\n    password: sqlPassword\n  }\n}\n"],
    ['Bicep interpolation', 'main.bicep', "var conn = 'DefaultEndpointsProtocol=https;AccountName=${sa.name};AccountKey=${sa.listKeys().keys[0].value}'\n"],
    ['Terraform reference', 'main.tf', 'admin_password = var.admin_password\nprimary_key = azurerm_storage_account.sa.primary_access_key\n'],
    ['<your-key>', '.env', 'API_KEY=<your-api-key>\n'],
    ['your-key-here', 'appsettings.json', JSON.stringify({ ApiKey: 'your-api-key-here' })],
    ['xxxx', '.env', 'CLIENT_SECRET=xxxxxxxxxxxxxxxxxxxx\n'],
    ['changeme', '.env', 'REDIS_PASSWORD=changeme\n'],
    ['REPLACE_ME', 'config.yaml', 'password: REPLACE_ME\n'],
    ['TODO', 'settings.json', JSON.stringify({ password: 'TODO' })],
    ['****', 'settings.json', JSON.stringify({ password: '********' })],
    ['...', 'settings.json', JSON.stringify({ token: '...' })],
    ['empty', 'settings.json', JSON.stringify({ password: '' })],
    ['"password"', 'settings.json', JSON.stringify({ password: 'password' })],
    ['"secret"', 'settings.json', JSON.stringify({ clientSecret: 'secret' })],
    ['low-entropy test value', 'settings.json', JSON.stringify({ password: 'Test1234' })],
    ['example value', '.env', 'API_TOKEN=example-token-value\n'],
    ['dummy value', 'app.py', 'api_key = "dummy_api_key_123"\n'],
    ['Azurite key', 'local.settings.json', JSON.stringify({ Values: { AzureWebJobsStorage: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${publicKey('azurite')};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;` } })],
    ['Cosmos emulator key', 'appsettings.json', JSON.stringify({ Cosmos: { AccountKey: publicKey('cosmos-emulator'), ConnectionString: `AccountEndpoint=https://localhost:8081/;AccountKey=${publicKey('cosmos-emulator')}` } })],
    ['UseDevelopmentStorage=true', 'local.settings.json', JSON.stringify({ Values: { AzureWebJobsStorage: 'UseDevelopmentStorage=true' } })],
    ['GUIDs and id names', 'appsettings.json', JSON.stringify({ AzureAd: { ClientId: '8c5f3a9e-2b1d-4e7f-9a6c-1d2e3f4a5b6c', TenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', ClientSecret: '3f2504e0-4f89-11d3-9a0c-0305e82c3301' }, SubscriptionId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', ObjectId: '3f2504e0-4f89-11d3-9a0c-0305e82c3302' })],
    ['InstrumentationKey', 'appsettings.json', JSON.stringify({ ApplicationInsights: { InstrumentationKey: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', ConnectionString: 'InstrumentationKey=3f2504e0-4f89-11d3-9a0c-0305e82c3301;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/' } })],
    ['UserSecretsId', 'App.csproj', '<PropertyGroup><UserSecretsId>aspnet-App-3f2504e0-4f89-11d3-9a0c-0305e82c3301</UserSecretsId></PropertyGroup>'],
    ['thumbprint', 'appsettings.json', JSON.stringify({ Certificate: { Thumbprint: 'A909502DD82AE41433E6F83886B00D4277A32A7B' }, KeyThumbprint: 'a909502dd82ae41433e6f83886b00d4277a32a7b' })],
    ['hex hashes', 'manifest.json', JSON.stringify({ sha1: 'a909502dd82ae41433e6f83886b00d4277a32a7b', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', md5: 'd41d8cd98f00b204e9800998ecf8427e', hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })],
    ['lockfile integrity', 'package.json', JSON.stringify({ integrity: `sha512-${storage}`, resolved: 'https://registry.npmjs.org/x/-/x-1.0.0.tgz' })],
    ['ssh public key', 'main.tf', `admin_ssh_key {\n  public_key = "ssh-rsa ${storage}${storage} user@host"\n}\n`],
    ['PUBLIC KEY block', 'pub.pem', `${'-----BEGIN'} PUBLIC KEY-----\n${storage}\n${storage}\n-----END PUBLIC KEY-----\n`],
    ['CERTIFICATE block', 'cert.pem', `${'-----BEGIN'} CERTIFICATE-----\n${storage}\n${storage}\n-----END CERTIFICATE-----\n`],
    ['PRIVATE KEY placeholder body', 'README.md', `${'-----BEGIN'} PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n`],
    ['data: URI', 'index.html', `<img src="data:image/png;base64,iVBORw0KGgo${storage}">`],
    ['base64 image under a token-ish name', 'theme.json', JSON.stringify({ iconToken: `iVBORw0KGgo${storage}` })],
    ['URLs without credentials', 'appsettings.json', JSON.stringify({ Api: { BaseUrl: 'https://api.contoso.com:443/v1/items?x=1', Endpoint: 'https://contoso.openai.azure.com/' } })],
    ['URI with placeholder password', '.env', 'DATABASE_URL=postgres://user:<password>@localhost:5432/db\n'],
    ['URI with ${VAR} password', '.env', 'DATABASE_URL=postgres://user:${DB_PASSWORD}@localhost:5432/db\n'],
    ['SAS with placeholder sig', 'appsettings.json', JSON.stringify({ Url: 'https://x.blob.core.windows.net/c?sv=2022-11-02&sp=r&se=2030-01-01&sig=<signature>' })],
    ['Key Vault secret URI setting', 'appsettings.json', JSON.stringify({ KeyVault: { SecretUri: 'https://kv.vault.azure.net/secrets/db/' }, KeyVaultName: 'kv-contoso' })],
    ['password policy settings', 'appsettings.json', JSON.stringify({ Identity: { PasswordRequiredLength: '12', PasswordHash: 'AQAAAAEAACcQAAAAEGx2lXlVQhzZC8Ot3i4VNjQ' } })],
    ['comparisons in code', 'auth.js', 'if (password === confirmPassword) { token = createToken(user); }\n'],
    // Razor implicit expressions in a view (PartsUnlimited ShoppingCart/Index.cshtml): the page writes the value at run time.
    ['Razor @Call() in a .cshtml view', 'Views/Cart/Index.cshtml', "data: { Id: id, CancelationToken: '@GetAntiXsrfToken()' },\nheaders: { 'RequestVerificationToken': '@GetAntiXsrfToken()' }\n"],
    ['Razor @Model.Member in a .cshtml view', 'Views/Home/Index.cshtml', "var apiToken = '@Model.ApiToken';\n"],
    ['connection string without secrets', 'appsettings.json', JSON.stringify({ ConnectionStrings: { Db: 'Server=tcp:x.database.windows.net;Initial Catalog=db;Authentication=Active Directory Default;' } })],
  ];
  for (const [name, file, text] of negatives) {
    it(name, () => {
      const r = scanText(text, file);
      const secrets = r.findings.filter((f) => f.tag === 'secret');
      assert.deepEqual(secrets.map((f) => `${f.ruleId} ${f.secretKind ?? ''} at ${f.line + 1}:${f.column + 1}`), [], name);
    });
  }
});

function publicKey(which: 'azurite' | 'cosmos-emulator'): string {
  return publicDevKey(which);
}

describe('secrets: findings carry kind and structure, never the value in messages', () => {
  it('sets secretKind, settingName and path from the ARM name/value pair', () => {
    const key = fakeSecret('azure-storage-key', 60);
    const r = scanText(arm('StorageKey')(key), 'azuredeploy.json');
    const f = r.findings.find((x) => x.ruleId === 'SECRET-AZURE-IDENTIFIABLE-KEY')!;
    assert.equal(f.secretKind, 'Azure Storage account key');
    assert.equal(f.settingName, 'StorageKey');
    assert.ok(f.path && f.path[f.path.length - 1] === 'StorageKey');
    assert.ok(!f.message.includes(key));
  });

  it('honours inline suppression', () => {
    const pw = fakeSecret('password', 61);
    const r = scanText(`# azure-secure-dev-ignore SECRET-GENERIC-PASSWORD -- test fixture\nDB_PASSWORD=${pw}\n`, '.env');
    assert.equal(r.findings.length, 0);
    assert.equal(r.suppressed.length, 1);
  });
});

/** The findings covering exactly `secret` in `text`, as a user sees them (rule and severity). */
function findingsOn(text: string, file: string, secret: string) {
  const r = scanText(text, file);
  for (const f of r.findings) assert.ok(!f.message.includes(secret), `${file}: message leaks the value`);
  return r.findings.filter((f) => text.slice(f.start, f.end) === secret);
}

describe('local development credentials: a hint, not a leaked credential', () => {
  const pw = fakeSecret('password', 70);
  const local: [string, string, string][] = [
    ['fallback MongoDB URI on localhost in code', 'packages/api/src/config/index.ts', `connectionString: process.env.COSMOS_CONNECTION_STRING || "mongodb://mongo:${pw}@localhost:27017",\n`],
    ['PostgreSQL URI on 127.0.0.1 in .env', '.env', `DATABASE_URL=postgres://app:${pw}@127.0.0.1:5432/app\n`],
    ['Redis URI on [::1]', 'settings.py', `REDIS_URL = "redis://default:${pw}@[::1]:6379/0"\n`],
    ['URI on host.docker.internal', 'appsettings.Development.json', JSON.stringify({ Mongo: { Uri: `mongodb://root:${pw}@host.docker.internal:27017` } })],
    ['URI on a Compose service name in docker-compose.yml', 'docker-compose.yml', `services:\n  api:\n    environment:\n      DATABASE_URL: postgres://app:${pw}@db:5432/app\n`],
    ['SQL Server on localhost in appsettings.Development.json', 'appsettings.Development.json', JSON.stringify({ ConnectionStrings: { Db: `Server=localhost,1433;Database=orders;User Id=sa;Password=${pw};TrustServerCertificate=True` } })],
    ['SQL Server LocalDB instance', 'appsettings.json', JSON.stringify({ ConnectionStrings: { Db: `Data Source=(localdb)\\MSSQLLocalDB;Initial Catalog=orders;User Id=app;Password=${pw}` } })],
    ['SQL Server on a Compose service in docker-compose-tests.override.yml', 'src/docker-compose-tests.override.yml', `services:\n  api:\n    environment:\n      - ConnectionString=Server=sql-data-test;Database=orders;User Id=sa;Password=${pw}\n`],
    ['PostgreSQL Host=a Compose service in compose.yaml', 'compose.yaml', `services:\n  api:\n    environment:\n      ConnectionStrings__Db: "Host=postgres;Database=app;Username=app;Password=${pw}"\n`],
    // eShopOnWeb: the settings of the environment its Compose file selects (ASPNETCORE_ENVIRONMENT=Docker).
    ['SQL Server on a Compose service in appsettings.Docker.json', 'src/Web/appsettings.Docker.json', JSON.stringify({ ConnectionStrings: { CatalogConnection: `Server=sqlserver,1433;Initial Catalog=Catalog;User Id=sa;Password=${pw};TrustServerCertificate=true;` } })],
  ];
  for (const [name, file, text] of local) {
    it(`${name}: SECRET-GENERIC-PASSWORD hint`, () => {
      const hits = findingsOn(text, file, pw);
      assert.equal(hits.length, 1, `${name}: one finding on the password (got ${hits.map((f) => f.ruleId).join(', ') || 'none'})`);
      assert.equal(hits[0].ruleId, 'SECRET-GENERIC-PASSWORD');
      assert.equal(hits[0].severity, 'hint');
      assert.match(hits[0].message, /^Local development password/);
    });
  }

  // Compose / shell `${VAR:-default}` (eShopOnContainers): the closing brace ends the default, not the password.
  it('a connection string as the ${VAR:-default} of a Compose variable: the password stops before the closing brace', () => {
    const text = `services:\n  api:\n    environment:\n      - ConnectionString=\${DB_CONN:-Server=sqldata;Database=orders;User Id=sa;Password=${pw}}\n`;
    const hits = findingsOn(text, 'docker-compose.yml', pw);
    assert.equal(hits.length, 1, `one finding on exactly the password (got ${scanText(text, 'docker-compose.yml').findings.map((f) => `${f.ruleId} ${f.end - f.start} chars`).join(', ') || 'none'})`);
  });

  const remote: [string, string, string, string][] = [
    ['MongoDB URI on a remote host', 'config/index.ts', `const url = "mongodb://app:${pw}@orders.mongo.cosmos.azure.com:10255/?ssl=true";\n`, 'SECRET-URI-CREDENTIALS'],
    ['a host that only starts with localhost', '.env', `DATABASE_URL=postgres://app:${pw}@localhost.contoso.com:5432/app\n`, 'SECRET-URI-CREDENTIALS'],
    ['localhost only in the query of a remote URI', '.env', `DATABASE_URL=postgres://app:${pw}@db.contoso.net:5432/app?fallback=localhost\n`, 'SECRET-URI-CREDENTIALS'],
    ['a single-label host in a Kubernetes manifest (a cluster service)', 'k8s/deployment.yaml', `env:\n  - name: DATABASE_URL\n    value: postgres://app:${pw}@db:5432/app\n`, 'SECRET-URI-CREDENTIALS'],
    ['a private-network address', '.env', `DATABASE_URL=postgres://app:${pw}@10.0.0.5:5432/app\n`, 'SECRET-URI-CREDENTIALS'],
    ['a Compose-style single-label server in appsettings.json (no Compose environment)', 'appsettings.json', JSON.stringify({ ConnectionStrings: { Db: `Server=sqlserver,1433;Initial Catalog=Catalog;User Id=sa;Password=${pw};` } }), 'SECRET-CONNECTION-STRING'],
    ['SQL Server Data Source=db in web.config', 'web.config', `<add name="Db" connectionString="Data Source=db;Initial Catalog=x;Uid=sa;Pwd=${pw};" />`, 'SECRET-CONNECTION-STRING'],
    ['Azure SQL in appsettings', 'appsettings.json', JSON.stringify({ ConnectionStrings: { Db: `Server=tcp:contoso.database.windows.net,1433;Initial Catalog=orders;User ID=app;Password=${pw};` } }), 'SECRET-CONNECTION-STRING'],
  ];
  for (const [name, file, text, rule] of remote) {
    it(`${name}: still an error`, () => {
      const hits = findingsOn(text, file, pw);
      assert.equal(hits.length, 1, `${name}: one finding on the password (got ${hits.map((f) => f.ruleId).join(', ') || 'none'})`);
      assert.equal(hits[0].ruleId, rule);
      assert.equal(hits[0].severity, 'error');
    });
  }
});

describe('SECRET-SAS-TOKEN: expiry', () => {
  const sig = encodeURIComponent(fakeSecret('sas-signature', 71));
  const expired: [string, string, string][] = [
    ['expired container SAS in a shell comment', 'Create-Asset.sh', `#       --sas-token "?sv=2015-07-08&sr=c&sig=${sig}&se=2018-04-25T00:00:00Z&sp=rwl" \\\n`],
    ['expired SAS in a variable, se URL-encoded', 'UploadFile-Asset.sh', `sasToken="?sv=2015-07-08&sr=c&sig=${sig}&se=2018-04-29T18%3A42%3A02Z&sp=rwl"\n`],
    ['expired date-only se before sig', '.env', `SAS=sv=2019-02-02&se=2019-01-01&sp=r&sr=b&sig=${sig}\n`],
    ['expired Service Bus token (se in Unix seconds)', 'Bus.cs', `var t = "SharedAccessSignature sr=https%3A%2F%2Fx.servicebus.windows.net&sig=${sig}&se=1500000000&skn=send";`],
    // chat-with-your-data: se in 2030, but a user delegation SAS dies with its delegation key (ske, at most 7 days).
    ['user delegation SAS whose key expired before se', 'dataset.jsonl', `{"a": "https://st.blob.core.windows.net/docs/a.pdf?se=2030-05-18T12%3A04%3A50Z&sp=r&sv=2024-05-04&sr=b&skoid=0b0c&sktid=72f9&skt=2019-05-19T12%3A04%3A50Z&ske=2019-05-20T12%3A04%3A50Z&sks=b&skv=2024-05-04&sig=${sig}"}\n`],
  ];
  for (const [name, file, text] of expired) {
    it(`${name}: a warning that names the expiry`, () => {
      const hits = findingsOn(text, file, sig);
      assert.equal(hits.length, 1, `${name}: one finding on the signature`);
      assert.equal(hits[0].ruleId, 'SECRET-SAS-TOKEN');
      assert.equal(hits[0].severity, 'warning');
      assert.match(hits[0].message, /expired on 20(?:1[789])-\d\d-\d\d/);
    });
  }

  const live: [string, string, string][] = [
    ['SAS valid until 2099', 'appsettings.json', JSON.stringify({ Blob: { Url: `https://contoso.blob.core.windows.net/c?sv=2022-11-02&sp=rl&se=2099-01-01T00:00:00Z&sig=${sig}` } })],
    ['SAS without se (a stored access policy)', '.env', `SAS=sv=2022-11-02&si=readers&sr=c&sp=r&sig=${sig}\n`],
    ['SAS with an unreadable se', '.env', `SAS=sv=2022-11-02&sp=r&se=tomorrow&sr=b&sig=${sig}\n`],
    ['user delegation SAS whose key is valid until 2099', 'dataset.jsonl', `{"a": "https://st.blob.core.windows.net/docs/a.pdf?se=2099-05-18T12%3A04%3A50Z&sp=r&sv=2024-05-04&sr=b&skoid=0b0c&sktid=72f9&skt=2099-05-11T12%3A04%3A50Z&ske=2099-05-18T12%3A04%3A50Z&sks=b&skv=2024-05-04&sig=${sig}"}\n`],
    ['Service Bus token valid until 2030 (Unix seconds)', 'Bus.cs', `var t = "SharedAccessSignature sr=https%3A%2F%2Fx.servicebus.windows.net&sig=${sig}&se=1900000000&skn=send";`],
  ];
  for (const [name, file, text] of live) {
    it(`${name}: still an error`, () => {
      const hits = findingsOn(text, file, sig);
      assert.equal(hits.length, 1, `${name}: one finding on the signature`);
      assert.equal(hits[0].ruleId, 'SECRET-SAS-TOKEN');
      assert.equal(hits[0].severity, 'error');
      assert.doesNotMatch(hits[0].message, /expired/i);
    });
  }

  it('a level the user sets for the rule still applies to expired tokens, capped at warning', () => {
    const text = `SAS=sv=2019-02-02&se=2019-01-01&sp=r&sr=b&sig=${sig}\n`;
    assert.equal(scanText(text, '.env', { levels: { 'SECRET-SAS-TOKEN': 'hint' } }).findings[0]?.severity, 'hint');
    assert.equal(scanText(text, '.env', { levels: { 'SECRET-SAS-TOKEN': 'error' } }).findings[0]?.severity, 'warning');
    assert.equal(scanText(text, '.env', { levels: { 'SECRET-SAS-TOKEN': 'off' } }).findings.length, 0);
  });
});

describe('templates and names that only mention a password', () => {
  it('a sample password in a connection-string template whose server is a placeholder is not reported', () => {
    const sample = ['Strong', 'Redis', 'Passw0rd'].join('');
    const text = JSON.stringify({ TokenCacheRedisConnStr: `[Replace with your domain like so: <your-domain>.redis.cache.windows.net:6380,password=${sample},ssl=True,abortConnect=False or with 'localhost' if running locally]` }, null, 2);
    assert.deepEqual(findingsOn(text, 'appsettings.json', sample).map((f) => f.ruleId), []);
  });

  it('a random password next to a placeholder server is still reported', () => {
    const pw = fakeSecret('password', 72);
    const text = JSON.stringify({ Redis: `<your-domain>.redis.cache.windows.net:6380,password=${pw},ssl=True,abortConnect=False` });
    assert.deepEqual(findingsOn(text, 'appsettings.json', pw).map((f) => `${f.ruleId} ${f.severity}`), ['SECRET-CONNECTION-STRING error']);
  });

  it('an Azure AD B2C user flow name under RESETPASSWORD_USER_FLOW is not a password', () => {
    const flow = ['B2C', '1', 'Password', 'Reset', 'Policy'].join('_');
    const text = `EDITPROFILE_USER_FLOW=B2C_1_ProfileEditPolicy\nRESETPASSWORD_USER_FLOW=${flow}\n`;
    assert.deepEqual(findingsOn(text, '.env.sample.b2c', flow).map((f) => f.ruleId), []);
  });
});

describe('records, not configuration', () => {
  // A test-data file of user records (azure-cosmos-dotnet-v3 TestJsons): every record has its own random "Token".
  const records = (n: number, kind: string) =>
    JSON.stringify(Array.from({ length: n }, (_, i) => ({ Email: `user${i}@contoso.example`, Token: fakeSecret(kind, i + 1), CreateDate: '2015-06-01' })));
  const generic = (text: string) => scanText(text, 'tests/TestJsons/store01C.json').findings.filter((f) => f.ruleId === 'SECRET-GENERIC-PASSWORD');

  it('a name holding ten or more different random values in one file is a field of records: no keyword-and-entropy hints', () => {
    assert.deepEqual(generic(records(12, 'password')), []);
  });

  it('a few values under one name are still settings, and each gets its hint', () => {
    assert.equal(generic(records(3, 'password')).length, 3);
  });

  it('keys with a format of their own are reported in records too', () => {
    const r = scanText(records(12, 'azure-storage-key'), 'tests/TestJsons/store01C.json');
    assert.equal(r.findings.filter((f) => f.ruleId === 'SECRET-AZURE-IDENTIFIABLE-KEY').length, 12);
  });
});
