// SECRET-CONNECTION-STRING: connection strings (key=value pairs, each value judged). A dictionary-word or test
// password in one is a sample, and the password of a local development server (Server=localhost, a Compose
// service) a local default: both are reported under SECRET-GENERIC-PASSWORD, a hint.

import { nextOccurrence } from './anchors';
import { decodeBase64, isAlnum, isUrlTokenChar, runStart, shannonEntropy } from './encoding';
import { isDocumentationPath, isUnquotedConfigPath } from '../../fileKind';
import { isLocalDevHost, LOCAL_DEV_KIND } from './localDev';
import { hasPasswordWord, isExpression, isHandTypedKey, isNameLike, isPlaceholder, isPublicDevKey, isReference, VAR_NAME, WEAK_PASSWORD_KIND } from './negatives';
import { type LineContext, type LineDetector, RULE, type SecretRule } from './types';

// ---- Connection strings ----

const CS_SECRET_KEY = /(?:AccountKey|SharedAccessKey|AccessKey|Password|Pwd)[ \t]*=[ \t]*/gi;
const REDIS_SSL = /(?:^|,)[ \t]*ssl[ \t]*=/;
const PG_HOST = /(?:^|[;=])[ \t]*host[ \t]*=/;
const SQL_SERVER = /(?:^|;)[ \t]*(?:server|data source|address|addr)[ \t]*=/;
const QUOTES = '"\'`';

/**
 * Keys of Azure, ADO.NET, ODBC, JDBC-style, libpq and StackExchange.Redis connection strings. A connection
 * string has at least two of them; a lone `password = x;` statement in code has one.
 */
const CONNECTION_KEYS = new Set([
  'server', 'data source', 'datasource', 'address', 'addr', 'network address', 'host', 'hostname', 'port', 'database', 'initial catalog', 'dbname',
  'user id', 'userid', 'uid', 'user', 'username', 'user name', 'password', 'pwd', 'accountname', 'accountkey', 'accountendpoint',
  'defaultendpointsprotocol', 'endpointsuffix', 'blobendpoint', 'queueendpoint', 'tableendpoint', 'fileendpoint', 'endpoint',
  'sharedaccesskeyname', 'sharedaccesskey', 'accesskey', 'entitypath', 'transporttype', 'deviceid', 'moduleid', 'version',
  'sslmode', 'ssl mode', 'ssl', 'encrypt', 'trustservercertificate', 'trusted_connection', 'integrated security', 'persist security info',
  'multipleactiveresultsets', 'connection timeout', 'connect timeout', 'connecttimeout', 'command timeout', 'timeout', 'pooling', 'min pool size',
  'max pool size', 'application name', 'driver', 'dsn', 'provider', 'charset', 'protocol', 'authentication', 'abortconnect', 'allowadmin',
  'synctimeout', 'defaultdatabase', 'sslprotocols', 'servicename', 'tns', 'schema', 'default schema', 'sslcert', 'sslrootcert',
]);

/** Character ranges [start, end) of the quoted literals on a line (escapes skipped; an unclosed quote runs to the end). */
function literalRanges(line: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (let i = 0; i < line.length; i++) {
    const q = line[i];
    if (QUOTES.indexOf(q) === -1) continue;
    let e = i + 1;
    while (e < line.length && line[e] !== q) e += line[e] === '\\' ? 2 : 1;
    ranges.push([i + 1, Math.min(e, line.length)]);
    i = e;
  }
  return ranges;
}

/** The key of one `key=value` pair: the name just before the first '=' (which may hold spaces: "Data Source"). */
function pairKey(pair: string): string {
  const eq = pair.indexOf('=');
  if (eq <= 0) return '';
  let e = eq;
  while (e > 0 && (pair[e - 1] === ' ' || pair[e - 1] === '\t')) e--;
  const s = runStart(pair, e, (c) => isAlnum(c) || c === 32 || c === 95, 40);
  return pair.slice(s, e).trim().toLowerCase();
}

/** Keys that name the server of a connection string. */
const HOST_KEYS = new Set(['server', 'data source', 'datasource', 'address', 'addr', 'network address', 'host', 'hostname']);

/** The server a connection string names (no port, no `tcp:`), or '' when it names none. */
function serverOf(seg: string, separator: string): string {
  const parts = seg.split(separator);
  // Redis: the leading host[:port] has no key (REDIS=host:6379 when a setting holds the string).
  const lead = parts[0].slice(parts[0].indexOf('=') + 1);
  let value = separator === ',' && lead.indexOf('=') === -1 ? lead : '';
  for (const part of parts) {
    if (value) break;
    // The first pair may carry the setting that holds the string: DB=Server=localhost.
    const pair = HOST_KEYS.has(pairKey(part)) ? part : part.slice(part.indexOf('=') + 1);
    if (HOST_KEYS.has(pairKey(pair))) value = pair.slice(pair.indexOf('=') + 1);
  }
  let h = value.trim();
  if (h.toLowerCase().startsWith('tcp:')) h = h.slice(4);
  h = h.split(',')[0];
  const bracket = h.startsWith('[') ? h.indexOf(']') : -1;
  if (bracket !== -1) return h.slice(0, bracket + 1);
  return h === '::1' ? h : h.split(':')[0];
}

const TEMPLATE_MARK = /[<>{}\s]/;

/** A server no real connection string names: '<your-server>', '{host}', 'Replace with your domain'. */
export function isTemplateServer(server: string): boolean {
  if (TEMPLATE_MARK.test(server)) return true;
  const lower = server.toLowerCase();
  return lower.includes('your') || lower.includes('replace');
}

/** How many distinct connection-string keys the segment holds (Redis: a leading host[:port] counts as one). */
function knownPairs(seg: string, separator: string): number {
  const keys = new Set<string>();
  const parts = seg.split(separator);
  for (const part of parts) {
    const k = pairKey(part);
    if (CONNECTION_KEYS.has(k)) keys.add(k);
    // A setting that holds the string: CONN=Server=mydb (the first pair carries the setting name).
    const eq = part.indexOf('=');
    const inner = eq === -1 ? '' : pairKey(part.slice(eq + 1));
    if (CONNECTION_KEYS.has(inner)) keys.add(inner);
  }
  if (separator === ',' && parts[0].indexOf('=') === -1 && (parts[0].includes('.') || parts[0].includes(':'))) keys.add('host');
  return keys.size;
}

/** File kinds and files whose values are written without quotes: .env, YAML, XML text, INI/properties/shell, dotfiles. */
export function allowsUnquotedValues(ctx: LineContext): boolean {
  if (ctx.fileKind === 'env' || ctx.fileKind === 'yaml' || ctx.fileKind === 'xml') return true;
  return ctx.fileKind === 'code' && isUnquotedConfigPath(ctx.path);
}

/**
 * A password in a connection string or URI: placeholder (not reported), sample (a dictionary-word or test
 * password: reported at the generic rule's level) or secret.
 */
export function credentialShape(value: string): 'placeholder' | 'sample' | 'secret' {
  if (isReference(value) || isPlaceholder(value)) return 'placeholder';
  return hasPasswordWord(value) ? 'sample' : 'secret';
}

function connectionKind(key: string, seg: string): string {
  const k = key.toLowerCase();
  const s = seg.toLowerCase();
  if (k === 'accountkey') {
    if (s.includes('documents.azure.com') || s.includes('accountendpoint=')) return 'Azure Cosmos DB account key';
    return 'Azure Storage account key';
  }
  if (k === 'sharedaccesskey') {
    if (s.includes('azure-devices.net')) return 'Azure IoT Hub shared access key';
    if (s.includes('entitypath=') && s.includes('servicebus.windows.net')) return 'Azure Event Hubs / Service Bus shared access key';
    return 'Azure Service Bus / Event Hubs shared access key';
  }
  if (k === 'accesskey') {
    if (s.includes('signalr.net')) return 'Azure SignalR access key';
    if (s.includes('webpubsub.azure.com')) return 'Azure Web PubSub access key';
    return 'Azure access key';
  }
  if (s.includes('redis.cache.windows.net') || s.includes('abortconnect=') || REDIS_SSL.test(s)) return 'Azure Cache for Redis password';
  if (s.includes('database.windows.net')) return 'Azure SQL Database password';
  if (s.includes('postgres')) return 'PostgreSQL password';
  if (s.includes('mysql') || s.includes('port=3306')) return 'MySQL password';
  if (PG_HOST.test(s)) return 'PostgreSQL password';
  if (SQL_SERVER.test(s)) return 'SQL Server password';
  return 'Database password';
}

/** Longer than any real password or key: a longer "value" is text that happens to follow the keyword. */
const MAX_CS_VALUE = 1024;

interface Segment {
  start: number;
  end: number;
  text: string;
  redisStyle: boolean;
  /** ';'- or ','-separated pairs with at least two known connection-string keys. */
  isConnectionString: boolean;
  devStorage: boolean;
  kinds: Map<string, string>;
  /** The server it names (serverOf); undefined until a password asks. */
  server?: string;
}

/**
 * Matches come in order, so the enclosing literal, the next stop characters and the facts about each segment
 * are found incrementally and once: a line full of "Password=" costs linear time, where re-reading the
 * enclosing string per match was quadratic in the line.
 */
export const detectConnectionStrings: LineDetector = (line, lineStart, ctx, out) => {
  let ranges: [number, number][] | undefined;
  let rangeAt = 0;
  const next: Record<string, (from: number) => number> = {};
  const nextOf = (ch: string, from: number) => {
    const at = (next[ch] ??= nextOccurrence(line, ch))(from);
    return at === -1 ? Infinity : at;
  };
  const unquotedValues = ctx.wholeValue || allowsUnquotedValues(ctx);
  let seg: Segment | undefined;
  // The same password repeated on one line (generated or minified text) is judged once.
  const shapes = new Map<string, ReturnType<typeof credentialShape>>();
  CS_SECRET_KEY.lastIndex = 0;
  for (let m = CS_SECRET_KEY.exec(line); m; m = CS_SECRET_KEY.exec(line)) {
    if (m.index > 0 && isUrlTokenChar(line.charCodeAt(m.index - 1))) continue;
    const key = m[0].split('=')[0].trim();
    // The quoted literal around the match, or (where values are unquoted) the line; never bare code.
    ranges ??= literalRanges(line);
    while (rangeAt < ranges.length && ranges[rangeAt][1] <= m.index) rangeAt++;
    const literal = rangeAt < ranges.length && ranges[rangeAt][0] <= m.index ? ranges[rangeAt] : undefined;
    const bounds = literal ?? (unquotedValues ? ([0, line.length] as [number, number]) : undefined);
    if (!bounds) continue;
    if (seg?.start !== bounds[0] || seg.end !== bounds[1]) {
      const text = line.slice(bounds[0], bounds[1]);
      const lower = text.toLowerCase();
      const redisStyle = !text.includes(';') && text.includes(',');
      const usable = text.includes(';') || redisStyle;
      seg = {
        start: bounds[0],
        end: bounds[1],
        text,
        redisStyle,
        isConnectionString: usable && knownPairs(text, redisStyle ? ',' : ';') >= 2,
        devStorage: lower.includes('accountname=devstoreaccount1') || lower.includes('usedevelopmentstorage=true'),
        kinds: new Map(),
      };
    }
    if (!seg.isConnectionString) continue;
    const segStart = seg.start;
    const segEnd = seg.end;
    const before = m.index > segStart ? line[m.index - 1] : '';
    if (before && before !== ';' && before !== ',' && before !== ' ' && before !== '\t') continue;
    let vs = m.index + m[0].length;
    // Template placeholders: Password={{db-password}}, AccountKey=${KEY} (references are checked below).
    if (line.startsWith('{{', vs) || line.startsWith('${', vs) || line.startsWith('$(', vs)) continue;
    let ve: number;
    const open = line[vs];
    let braced = false;
    if (open === '{' || (open === "'" && segStart !== vs) || (open === '"' && segStart !== vs)) {
      ve = nextOf(open === '{' ? '}' : open, vs + 1);
      if (ve > segEnd) continue;
      vs += 1;
      braced = open === '{';
    } else {
      ve = Math.min(segEnd, nextOf(';', vs), seg.redisStyle ? nextOf(',', vs) : Infinity);
      while (ve > vs && (line[ve - 1] === ' ' || line[ve - 1] === '\t')) ve--;
      // Escaped quotes of a string inside the literal (Kafka's sasl.jaas.config: password=\"Endpoint=...;SharedAccessKey=...\").
      if (line[vs] === '\\' && (line[vs + 1] === '"' || line[vs + 1] === "'")) vs += 2;
      if (ve - vs >= 2 && line[ve - 2] === '\\' && (line[ve - 1] === '"' || line[ve - 1] === "'")) ve -= 2;
      // `${VAR:-Server=...;Password=x}` (Compose, shell): the closing brace ends the default, not the password.
      if (line[ve - 1] === '}' && line.lastIndexOf('${', vs) >= segStart && !line.slice(vs, ve).includes('{')) ve--;
    }
    if (ve - vs > MAX_CS_VALUE) continue;
    const value = line.slice(vs, ve);
    if (value.length < 4 || isPublicDevKey(value) || seg.devStorage) continue;
    // $"...;Password={password};" and f"...{pwd}...": an interpolated variable, not an ODBC-quoted password.
    if (braced && (isExpression(value) || VAR_NAME.test(value) || isNameLike(value))) continue;
    const lowerKey = key.toLowerCase();
    let kind = seg.kinds.get(lowerKey);
    if (kind === undefined) seg.kinds.set(lowerKey, (kind = connectionKind(key, seg.text)));
    if (lowerKey !== 'password' && lowerKey !== 'pwd') {
      // A generated key is random: 'AAAAAAAAAAAAAAAAAAAAAAAAAA0A2A4A6A8A' (a test's filler) is not one.
      // Padded base64 comes in whole groups of four: a 45-character "key" ending in '=' was edited by hand.
      if (value.endsWith('=') && value.length % 4 !== 0) continue;
      if (isReference(value) || isPlaceholder(value) || isHandTypedKey(value) || value.length < 20 || !decodeBase64(value) || shannonEntropy(value) < 3.5) continue;
      out.push({ ruleId: RULE.connectionString, start: lineStart + vs, end: lineStart + ve, secret: value, kind });
      continue;
    }
    // Event Hubs' Kafka endpoint takes the whole connection string as the SASL password
    // (password=\"Endpoint=sb://...;SharedAccessKey=...\"): its key is judged as a key, the URL is no password.
    if (value.includes('://')) continue;
    let shape = shapes.get(value);
    if (shape === undefined) shapes.set(value, (shape = credentialShape(value)));
    if (shape === 'placeholder' || (shape === 'sample' && isDocumentationPath(ctx.path))) continue;
    const server = (seg.server ??= serverOf(seg.text, seg.redisStyle ? ',' : ';'));
    // A template ('<your-domain>.redis.cache.windows.net,password=StrongPassw0rd'): the sample is part of it.
    if (shape === 'sample' && isTemplateServer(server)) continue;
    if (isLocalDevHost(server, ctx.path)) out.push({ ruleId: RULE.generic, start: lineStart + vs, end: lineStart + ve, secret: value, kind: LOCAL_DEV_KIND });
    else if (shape === 'sample') out.push({ ruleId: RULE.generic, start: lineStart + vs, end: lineStart + ve, secret: value, kind: WEAK_PASSWORD_KIND });
    else out.push({ ruleId: RULE.connectionString, start: lineStart + vs, end: lineStart + ve, secret: value, kind });
  }
};

const random = { fake: 'password' };
const legacyKey = { fake: 'azure-storage-key-legacy' };
const GENERIC = ['SECRET-GENERIC-PASSWORD'];

export const connectionStringRule: SecretRule = {
  meta: {
    id: RULE.connectionString,
    title: 'Connection string with a key or password',
    tag: 'secret',
    severity: 'error',
    confidence: 'high',
    description: 'A connection string carries an inline account key, shared access key or password; use a managed identity or a Key Vault reference instead.',
  },
  priority: 75,
  lineDetectors: [
    // The keys of CS_SECRET_KEY ('sharedaccesskey' holds 'accesskey').
    { name: 'connection strings', detect: detectConnectionStrings, anchors: ['accountkey', 'accesskey', 'password', 'pwd'] },
  ],
  patterns: [CS_SECRET_KEY, REDIS_SSL, PG_HOST, SQL_SERVER, TEMPLATE_MARK],
  examples: {
    positives: [
      { name: 'Storage AccountKey in local.settings.json', file: 'local.settings.json', text: '{ "Values": { "AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey={secret};EndpointSuffix=core.windows.net" } }', secret: legacyKey, kind: 'Azure Storage account key' },
      { name: 'SQL password in a C# string literal', file: 'Db.cs', text: 'var cs = "Server=tcp:sql.contoso.net,1433;Initial Catalog=orders;User ID=app;Password={secret};Encrypt=True;";\n', secret: random, kind: 'SQL Server password' },
      { name: 'SQL password in a JS template literal', file: 'db.js', text: 'const cs = `Server=sql.contoso.net;Database=app;Uid=app;Pwd={secret};`;\n', secret: random },
      { name: 'JSON-escaped value (backslash in the server name)', file: 'appsettings.json', text: '{ "ConnectionStrings": { "Db": "Data Source=sql01\\\\SQLEXPRESS;Initial Catalog=app;User ID=sa;Password={secret};" } }', secret: random },
      { name: 'setting name and connection string in one literal', file: 'keyvault_test.go', text: '\t\t"CONN=Server=mydb;Password={secret}",\n', secret: random },
      { name: 'unquoted in .env', file: '.env', text: 'DB=Host=pg.contoso.net;Database=app;Username=app;Password={secret}\n', secret: random, kind: 'PostgreSQL password' },
      { name: 'web.config connectionString attribute', file: 'web.config', text: '<add name="Db" connectionString="Data Source=db;Initial Catalog=x;Uid=sa;Pwd={secret};" />\n', secret: random },
      {
        name: 'Event Hubs Kafka SASL config with a real key: the key is reported, escaped quotes left out',
        file: 'src/main/resources/application.conf',
        text: 'sasl.jaas.config="org.apache.kafka.common.security.plain.PlainLoginModule required username=\\"$ConnectionString\\" password=\\"Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey={secret}\\";"\n',
        secret: { fake: 'azure-sas-key-legacy', seed: 3 },
      },
      { name: 'Redis options in Terraform', file: 'main.tf', text: 'value = "contoso.redis.cache.windows.net:6380,password={secret},ssl=True,abortConnect=False"\n', secret: random, kind: 'Azure Cache for Redis password' },
    ],
    negatives: [
      {
        name: 'Event Hubs Kafka SASL config: the password is a connection string whose keys are placeholders',
        file: 'src/main/resources/application.conf',
        text: 'sasl.jaas.config="org.apache.kafka.common.security.plain.PlainLoginModule required username=\\"$ConnectionString\\" password=\\"Endpoint=sb://mynamespace.servicebus.windows.net/;SharedAccessKeyName=XXXXXX;SharedAccessKey=XXXXXX\\";"\n',
      },
      {
        name: 'a hand-edited key of 45 characters (padded base64 comes in groups of four)',
        file: 'src/test/java/ModuleClientTest.java',
        text: 'final String expected = "HostName=hub.azure-devices.net;DeviceId=device;ModuleId=module;SharedAccessKey={secret}";\n',
        secret: { pieces: ['Qm7+Tz4Lk9', 'Wp2Rv8Hs3N', 'x/Bc6Jd1Fg', 'Ya5Ke0Mu7Pq', 'r4w='] },
      },
      {
        name: 'a test filler key of repeated characters (Azure SignalR tests)',
        file: 'test/MessageOrderTests/HotReloadMessageOrderTestParams.cs',
        text: 'new KeyValuePair<string, string>("Azure:SignalR:ConnectionString:One:primary", "Endpoint=http://127.0.0.1;AccessKey=AAAAAAAAAAAAAAAAAAAAAAAAAA0A2A4A6A8A;Version=1.0;Port=8080"),\n',
      },
      {
        name: 'documentation connection string whose key has a keyboard row typed into it',
        file: 'quickstart/README.md',
        text: '"primaryConnectionString": "Endpoint=sb://foobar.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={secret}",\n',
        secret: { fake: 'shared-access-key-hand-typed' },
      },
      { name: 'SQL Server on localhost in appsettings.Development.json: a hint only', file: 'appsettings.Development.json', text: '{ "ConnectionStrings": { "Db": "Server=localhost,1433;Database=orders;User Id=sa;Password={secret};TrustServerCertificate=True" } }', secret: random, allow: GENERIC },
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
  },
};
