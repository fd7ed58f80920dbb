import type { RuleExamples } from './types';

const random = { fake: 'password' };
// Public sample passwords from Azure quickstarts, written in pieces.
const jumpbox = { pieces: ['Jumpbox', 'AdminP@ss', 'w0rd1234!'] };
const dollarSample = { pieces: ['P@$$', 'w0rd', '1234!'] };
const plainSample = { pieces: ['Pass', 'word', '1234!'] };
const WEAK = 'Sample or weak password';

/** SECRET-GENERIC-PASSWORD: a literal with secret shape under a password/secret/token name. */
export const genericPasswordExamples: RuleExamples = {
  positives: [
    { name: '.env DB_PASSWORD', file: '.env', text: 'DB_HOST=db\nDB_PASSWORD={secret}\n', secret: random, kind: 'Password' },
    { name: 'Python password literal', file: 'db.py', text: 'password = "{secret}"\n', secret: random },
    { name: 'C# const ApiKey', file: 'Keys.cs', text: 'private const string ApiKey = "{secret}";\n', secret: random, kind: 'API key' },
    { name: 'YAML compose POSTGRES_PASSWORD', file: 'docker-compose.yml', text: 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: {secret}\n', secret: random },
    { name: 'Bicep param default: a quickstart sample password', file: 'jumpbox.bicep', text: "param adminPassword string = '{secret}'\n", secret: jumpbox, kind: WEAK },
    { name: 'Terraform example adminPassword with $$', file: 'main.tf', text: 'locals {\n  adminPassword = "{secret}"\n}\n', secret: dollarSample, kind: WEAK },
    { name: 'Password1234! is treated like P@ssw0rd1234!', file: 'main.tf', text: 'admin_password = "{secret}"\n', secret: plainSample, kind: WEAK },
    { name: 'unquoted export in an extension-less .bash_profile', file: 'home/.bash_profile', text: 'export PATH=$HOME/bin:$PATH\nexport DB_PASSWORD={secret}\n', secret: random },
    { name: 'unquoted value in a .credentials dotfile', file: 'home/.credentials', text: '[default]\npassword={secret}\n', secret: random },
    { name: 'AWS-style credentials file without extension', file: 'home/.aws/credentials', text: '[default]\nclient_secret = {secret}\n', secret: random },
    { name: 'MongoDB URI with a test-looking password (a sample, at hint level)', file: 'app.js', text: 'const url = "mongodb://admin:{secret}@mongo.contoso.net:27017/db";\n', secret: { pieces: ['test', 'pass', 'word'] }, kind: WEAK },
    { name: 'connection string with a sample password (hint, not an error)', file: 'appsettings.json', text: '{ "ConnectionStrings": { "Db": "Server=tcp:sql.contoso.net;Database=app;User ID=app;Password={secret};" } }', secret: dollarSample, kind: WEAK },
    { name: 'PHP WordPress AUTH_KEY', file: 'wp-config.php', text: "<?php\ndefine('AUTH_KEY',         '{secret}');\n", secret: { pieces: ['q7^Kz!u;L@9pQ2x#', 'vB8nM4wT6yR1eH0jF5', '}3Zs&k+Wd8Gh'] }, kind: 'WordPress authentication key or salt' },
    { name: 'PHP WordPress NONCE_SALT', file: 'wp-config.php', text: "define( 'NONCE_SALT', '{secret}' );\n", secret: { pieces: ['e5:RZ8p]L3+x^c7N!d1B', 'q@w9Tz#4Yk6VhG2', 'a,Pm0X|r'] } },
  ],
  negatives: [
    // Identifiers and constants in code (about 700 hints on 26,000 files of popular npm packages).
    { name: 'method name under a token-ish key', file: 'msal.js', text: 'const token = "acquireTokenByRefreshToken";\nconst api = { refreshToken: "acquireTokenByRefreshToken" };\n' },
    { name: 'error code', file: 'auth.js', text: 'const PASSWORD_REUSED = "password_recently_used";\nerr = { password: "password_recently_used" };\n' },
    { name: 'kebab-case header name', file: 'lock.ts', text: 'const lockToken = "lock-token";\n' },
    { name: 'UPPER_CASE constant name', file: 'scopes.py', text: 'token = "AZURE_FINETUNING_TOKEN_SCOPE"\nTOKEN_SCOPE = "AZURE_FINETUNING_TOKEN_SCOPE"\n' },
    { name: 'a word', file: 'Auth.cs', text: 'public const string AuthSecret = "Authentication";\nvar clientSecret = "Disabled";\n' },
    { name: 'paging token name', file: 'pager.ts', text: 'const nextPageToken = "next-page";\n' },
    { name: 'PascalCase name', file: 'Options.cs', text: 'const string CredentialSecret = "AzureIdentity";\n' },
    { name: "Python constant 'RES_TYPE'", file: 'types.py', text: "secret = 'RES_TYPE'\n" },
    { name: 'Bicep param default that is a word', file: 'kv.bicep', text: "param secretState string = 'Disabled'\n" },
    { name: 'PowerShell expression in a pipeline', file: 'pipeline.yml', text: 'steps:\n- pwsh: |\n    $secret = Get-AzKeyVaultSecret -VaultName $keyVaultName -Name db\n  password: Get-AzKeyVaultSecret -VaultName $keyVaultName\n' },
    // Names, not values.
    { name: 'Kafka binding: password names an app setting', file: 'function.json', text: '{ "bindings": [ { "type": "kafkaTrigger", "username": "$ConnectionString", "password": "EventHubConnectionString" } ] }' },
    { name: 'SendGrid binding: apiKey names an app setting', file: 'function.json', text: '{ "bindings": [ { "type": "sendGrid", "apiKey": "MySendGridKey" } ] }' },
    { name: 'constant whose value is its own identifier', file: 'Constants.cs', text: 'public const string KeyVaultClientSecret = "AzureWebJobsSecretStorageKeyVaultClientSecret";\n' },
    { name: 'dotted metric name', file: 'Metrics.cs', text: 'const string TokenSecret = "azure.identity.token.acquired";\n' },
    { name: 'type name', file: 'Reg.cs', text: 'var token = "CancellationTokenRegistration";\n' },
    { name: 'Key Vault secret names', file: 'main.bicep', text: "param clientSecret string = 'kv-app-client-secret'\nvar dbPassword = keyVault.getSecret('sql-admin-password')\n" },
    { name: 'environment-variable name', file: 'cfg.ts', text: "const secret = 'AZURE_CLIENT_SECRET';\nconst password: string = 'DB_PASSWORD';\n" },
    { name: 'path, MIME type and URL without credentials', file: 'cfg.js', text: 'const secretFile = "/etc/secrets/db-password.txt";\nconst tokenType = "application/json";\nconst token = "https://login.microsoftonline.com/common/oauth2/v2.0/token";\n' },
    // Shapes from the real-code benchmark (npm packages and Azure repositories).
    { name: 'msal constants that name themselves', file: 'perf.js', text: 'AcquireTokenByRefreshToken = "acquireTokenByRefreshToken",\nREFRESH_TOKEN = "refresh_token";\nconst badToken = "bad_token";\n' },
    { name: 'AWS SDK doc comment placeholder', file: 'client.d.ts', text: ' * // SecretAccessKey: "STRING_VALUE", // required\n *   NextToken: "STRING_VALUE",\n' },
    { name: 'app-setting names in C# and Terraform', file: 'Names.cs', text: 'AppInsightsQuickPulseAuthApiKey = "APPINSIGHTS_QUICKPULSEAUTHAPIKEY";\napi_token_var = "AZURE_STATIC_WEB_APPS_API_TOKEN"\n' },
    { name: 'event, metric and error-code names', file: 'events.js', text: 'const e = { acquireTokenSuccess: "msal:acquireTokenSuccess", secrets: "host.secrets.nonidentifiable", tokens: "gen_ai.usage.input_tokens", passwordCheck: "aspnetcore.identity.password_check_result", credentials: "container.credentials", token: "TOKEN_EXPIRED" };\npublic const string NonHISSecretLoaded = "AZFD0012";\n' },
    { name: 'routes and paths', file: 'endpoints.ts', text: 'export const SIGNIN_TOKEN = "/oauth2/v2.0/token";\nexport const RESET_PWD_SUBMIT = "/resetpassword/v1.0/submit";\nconst secretsPath = "/run/secrets/functions-keys";\nconst LinuxEncryptedTokenServiceSpecializationStem = "/api/specialize?api-version=2021-01-01";\n' },
    { name: 'header names with product names', file: 'constants.js', text: 'const SESSION_TOKEN_QUERY_PARAM = "X-Amz-S3session-Token";\nconst h = { token: "X-Amz-Security-Token" };\n' },
    { name: 'shell and PowerShell variables inside the value', file: 'Invoke-DevOpsAPI.ps1', text: '$unencodedAuthToken = "nobody:$AuthToken"\n$password = "$ResourceGroupName/$KeyVaultName/$CertSecretName"\n' },
    { name: 'Azure Pipelines logging command', file: 'sparse-checkout.yml', text: '      Write-Host "##vso[task.setvariable variable=_base64AuthToken;issecret=true;]$base64Token"\n' },
    { name: 'dependency version under a credential-provider package name', file: 'package.json', text: '{ "dependencies": { "@aws-sdk/credential-provider-env": "^3.972.86", "@aws-sdk/credential-provider-process": "~3.972.0" } }' },
    { name: 'paging and lock tokens', file: 's3.test.js', text: 'NextContinuationToken: "1w41l63U0xa8q7smH50vCxyTQqdxo69O3EmK28Bi5PcROI4wI/EyIJg==",\nconst headers = { \'Lock-Token\': \'urn:uuid:a515cfa4-5da4-22e1-f5bf-00ab0d1c2db8\' };\n' },
    { name: 'a piece of code inside a string', file: 'http.test.js', text: "t.equal(auth, `Basic ${Buffer.from('username_with_=:password_with_=').toString('base64')}`)\n" },
    { name: 'JSON fragment in a recorded HTTP body', file: 'recording.yaml', text: '      body: \'{"properties":{"disableLocalAuth":false,"allowCredentials":{"type":"boolean"}}}\'\n' },
    { name: 'bare JWT header in a sanitizer test', file: 'sanitizer_test.go', text: 'input:    `{"token": "eyJhbGciOiJSUzI1NiJ9"}`,\n' },
    { name: 'short made-up token in a README', file: 'README.md', text: "findMyWay.on('GET', '/test/hello', () => {}, { token: 'df123-4567' })\n" },
    { name: 'sample password in a module README', file: 'modules/mysql/README.md', text: "    administratorLoginPassword: '{secret}'\n", secret: { pieces: ['test', 'Password', '123!'] } },
    // Loose key matching.
    { name: 'Windows unattend pass="oobeSystem"', file: 'unattend.xml', text: '<settings pass="oobeSystem">\n</settings>\n' },
    { name: 'HCL pass = "oobeSystem"', file: 'vm.tf', text: 'pass = "oobeSystem"\n' },
    { name: 'docker build --secret option list', file: 'build.sh', text: 'docker build --secret "id=npmrc,src=$HOME/.npmrc" .\n' },
    // Commented-out code and documentation placeholders.
    { name: 'commented-out assignment', file: 'db.js', text: '// const password = "{secret}";\n', secret: random },
    { name: 'commented-out .env line', file: '.env', text: '# DB_PASSWORD={secret}\n', secret: random },
    { name: 'README placeholder sentence', file: 'README.md', text: 'password: "Change this password"\n' },
    { name: 'WordPress placeholder salt', file: 'wp-config-sample.php', text: "define( 'AUTH_KEY', 'put your unique phrase here' );\n" },
    { name: 'password word plus digits only', file: 'settings.json', text: '{ "password": "Password123", "adminPassword": "Test1234" }' },
    { name: 'code expressions in YAML and .env', file: 'config.yml', text: 'password: credentials.password\nsecret: getSecret()\n' },
  ],
};
