import type { RuleExamples } from './types';

const random = { fake: 'password' };
const legacyKey = { fake: 'azure-storage-key-legacy' };
const GENERIC = ['SECRET-GENERIC-PASSWORD'];

/** SECRET-CONNECTION-STRING: a connection string (two or more known keys in one literal or config value) with a key or password. */
export const connectionStringExamples: RuleExamples = {
  positives: [
    { name: 'Storage AccountKey in local.settings.json', file: 'local.settings.json', text: '{ "Values": { "AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey={secret};EndpointSuffix=core.windows.net" } }', secret: legacyKey, kind: 'Azure Storage account key' },
    { name: 'SQL password in a C# string literal', file: 'Db.cs', text: 'var cs = "Server=tcp:sql.contoso.net,1433;Initial Catalog=orders;User ID=app;Password={secret};Encrypt=True;";\n', secret: random, kind: 'SQL Server password' },
    { name: 'SQL password in a JS template literal', file: 'db.js', text: 'const cs = `Server=sql.contoso.net;Database=app;Uid=app;Pwd={secret};`;\n', secret: random },
    { name: 'JSON-escaped value (backslash in the server name)', file: 'appsettings.json', text: '{ "ConnectionStrings": { "Db": "Data Source=.\\\\SQLEXPRESS;Initial Catalog=app;User ID=sa;Password={secret};" } }', secret: random },
    { name: 'setting name and connection string in one literal', file: 'keyvault_test.go', text: '\t\t"CONN=Server=mydb;Password={secret}",\n', secret: random },
    { name: 'unquoted in .env', file: '.env', text: 'DB=Host=pg.contoso.net;Database=app;Username=app;Password={secret}\n', secret: random, kind: 'PostgreSQL password' },
    { name: 'web.config connectionString attribute', file: 'web.config', text: '<add name="Db" connectionString="Data Source=db;Initial Catalog=x;Uid=sa;Pwd={secret};" />\n', secret: random },
    { name: 'Redis options in Terraform', file: 'main.tf', text: 'value = "contoso.redis.cache.windows.net:6380,password={secret},ssl=True,abortConnect=False"\n', secret: random, kind: 'Azure Cache for Redis password' },
  ],
  negatives: [
    // Auth code reported as "Database password" with an error squiggle (17 errors on 26,000 files).
    { name: 'JS member access', file: 'login.js', text: 'const password = credentials.password;\n' },
    { name: 'TS member access', file: 'login.ts', text: 'let pwd = opts.pwd;\n' },
    { name: 'C# call', file: 'Login.cs', text: "var password = this.get_option('password');\n" },
    { name: 'JS call', file: 'plugin.js', text: "var password = this.get_option('password');\n" },
    // C#/Java named arguments and object initializers read as Redis-style options (66 of 70 wrong).
    { name: 'C# assignment from a call', file: 'Binding.cs', text: 'Password = resolver.ResolveWholeString(Password);\n' },
    { name: 'C# object initializer, one line', file: 'Kafka.cs', text: 'var config = new ProducerConfig { BootstrapServers = "broker:9093", SaslUsername = "$ConnectionString", Password = "KafkaPassword", Protocol = x };\n' },
    { name: 'C# object initializer, one member per line', file: 'Kafka.cs', text: 'var attr = new KafkaAttribute\n{\n    Username = "KafkaUsername",\n    Password = "KafkaPassword",\n};\n' },
    { name: 'C# initializer member with a literal: a generic hint at most', file: 'Kafka.cs', text: 'var o = new KafkaOptions\n{\n    Username = "app",\n    Password = "{secret}",\n};\n', secret: random, allow: GENERIC },
    { name: 'Kafka trigger attribute names app settings (C#)', file: 'Trigger.cs', text: '[KafkaTrigger("BrokerList", "topic", Username = "ConfluentCloudUsername", Password = "ConfluentCloudPassword", Protocol = BrokerProtocol.SaslSsl)]\n' },
    { name: 'Kafka trigger annotation names app settings (Java)', file: 'Trigger.java', text: '@KafkaTrigger(name = "kafkaTrigger", topic = "t", brokerList = "%BrokerList%", username = "$ConnectionString", password = "EventHubConnectionString", authenticationMode = BrokerAuthenticationMode.PLAIN)\n' },
    { name: 'more expressions on the right', file: 'auth.js', text: 'const password = request.password ?? "";\nlet password = options.credentials?.password;\nreturn typeof password === \'string\' && password.length >= 6;\npassword = _auth$split2[1];\n' },
    { name: 'type and schema declarations', file: 'api.proto', text: 'string password = 3 [(google.api.field_behavior) = OPTIONAL];\n' },
    { name: 'Aspire manifest: templated password', file: 'aspire-manifest.json', text: '{ "connectionString": "Server={mysql.bindings.tcp.host};Port={mysql.bindings.tcp.port};User ID=root;Password={mysql-password.value}" }' },
    { name: 'JSDoc sentence', file: 'crypto.d.ts', text: " * const password = 'Password used to generate key';\n" },
    { name: 'Java setters', file: 'Config.java', text: 'props.put("password", password); config.setPassword(pwd);\n' },
    { name: 'a lone password statement in code is not a connection string', file: 'db.py', text: 'password = "{secret}"; user = "app"\n', secret: random, allow: GENERIC },
    { name: 'C# interpolated connection string', file: 'Db.cs', text: 'var cs = $"Server={server};Database={db};User Id={user};Password={password};";\n' },
    { name: 'Python f-string connection string', file: 'db.py', text: 'cs = f"Server={host};Database=app;Uid=app;Pwd={pwd};"\n' },
    { name: 'connection string without a secret', file: 'appsettings.json', text: '{ "ConnectionStrings": { "Db": "Server=tcp:x.database.windows.net;Initial Catalog=db;Authentication=Active Directory Default;" } }' },
    { name: 'sample password in a connection string is a hint', file: 'appsettings.json', text: '{ "Db": "Server=db;Database=app;User Id=sa;Password={secret};" }', secret: { pieces: ['P@ss', 'w0rd', '123!'] }, allow: GENERIC },
  ],
};

/** SECRET-URI-CREDENTIALS: scheme://user:password@host with a password that is not a placeholder or sample. */
export const uriCredentialExamples: RuleExamples = {
  positives: [
    { name: 'MongoDB URI in .env', file: '.env', text: 'MONGO_URL=mongodb://app:{secret}@cluster0.mongo.net/db\n', secret: random, kind: 'MongoDB password' },
    { name: 'PostgreSQL URI in code', file: 'db.ts', text: "const url = 'postgres://app:{secret}@pg.contoso.net:5432/app';\n", secret: random },
  ],
  negatives: [
    { name: 'placeholder password', file: '.env', text: 'DATABASE_URL=postgres://user:<password>@localhost:5432/db\n' },
    { name: 'variable password', file: '.env', text: 'DATABASE_URL=postgres://user:${DB_PASSWORD}@localhost:5432/db\n' },
    { name: 'user equals password (guest:guest)', file: 'amqp.js', text: 'const url = "amqp://guest:guest@localhost:5672";\n' },
    { name: 'test password: a sample, reported as a hint only', file: 'app.js', text: 'const url = "mongodb://admin:testpassword@mongo:27017/db";\n', allow: GENERIC },
  ],
};

/** SECRET-SAS-TOKEN: a sig= with a 32-byte signature and SAS parameters (sv with se/sp, or sr/se/skn). */
export const sasTokenExamples: RuleExamples = {
  positives: [
    { name: 'blob SAS URL in appsettings', file: 'appsettings.json', text: '{ "Blob": { "Url": "https://contoso.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig={secret}" } }', secret: { fake: 'sas-signature', uriEncode: true } },
    { name: 'SAS URL in a C# test', file: 'tests/BlobTests.cs', text: 'var uri = new Uri("https://account.blob.core.windows.net/container/blob?sv=2019-02-02&sr=b&sig={secret}&se=2030-01-01T00%3A00%3A00Z&sp=r");\n', secret: { fake: 'sas-signature', seed: 2, uriEncode: true } },
    { name: 'hand-typed signature with a broken escape in a test', file: 'tests/InstanceManagerTests.cs', text: '"https://notarealstorageaccount.blob.core.windows.net/releases/test.zip?st=2019-05-22T15%3A00%3A09Z&se=2099-05-23T15%3A00%3A00Z&sp=rwl&sv=2018-03-28&sr=b&sig={secret}"\n', secret: { pieces: ['d%2Fq', 'Xk3mP9sLw%2R', 'vT7nB4cZ%2B', 'hQ1jF6gR%2B', 'yW2eK5uA0', 'oN8%3D'] } },
  ],
  negatives: [
    { name: 'placeholder signature', file: 'appsettings.json', text: '{ "Url": "https://x.blob.core.windows.net/c?sv=2022-11-02&sp=r&se=2030-01-01&sig=<signature>" }' },
    { name: 'sig= without SAS parameters', file: 'api.js', text: 'fetch(`/api/verify?sig={secret}`);\n', secret: { fake: 'sas-signature', seed: 3, uriEncode: true } },
  ],
};
