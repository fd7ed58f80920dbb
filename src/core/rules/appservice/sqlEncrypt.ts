// APPSVC-SQL-ENCRYPT: a SQL connection string that turns encryption off (Encrypt=False) or skips server
// certificate validation (TrustServerCertificate=True), in any value of any parsed file.

import type { FileKind, RawFinding, RuleMeta } from '../../model';
import type { RuleExamples, RuleUnit } from '../unit';
import { isDevelopmentOnlyFile, isSettingValue, sameCase, type EntryCtx } from './context';
import { isLocalDevHost, isLocalMachineHost } from '../secrets/localDev';
import { armApp } from './exampleDocs';

export const SQL_ENCRYPT = 'APPSVC-SQL-ENCRYPT';

const rules: RuleMeta[] = [
  {
    id: SQL_ENCRYPT,
    title: 'SQL connection without verified encryption',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description:
      'The SQL connection string turns encryption off (Encrypt=False) or skips server certificate validation (TrustServerCertificate=True), exposing credentials and data to interception.',
  },
];

const SQL_SERVER_KEY = /(?:^|;)\s*(?:server|data source|initial catalog|database|addr|address|network address)\s*=/i;
const SQL_PAIR = /(^|;)([ \t]*)(encrypt|trustservercertificate|trust server certificate)([ \t]*=[ \t]*)([A-Za-z]{1,12})/gi;
/** The server of an ADO.NET connection string: `Server=tcp:127.0.0.1,5433`, `Data Source=.\\SQLEXPRESS`. */
const SQL_SERVER_VALUE = /(?:^|;)[ \t]*(?:server|data source|addr|address|network address)[ \t]*=[ \t]*([^;]{0,300})/i;
/** The host of a JDBC SQL Server URL: `jdbc:sqlserver://localhost:1433;...`, `jdbc:sqlserver://;serverName=...`. */
const JDBC_HOST = /^jdbc:sqlserver:\/\/([^:;\\/]{0,300})/i;

/**
 * The connection string (ADO.NET or JDBC) points at a SQL Server on the same machine, whose traffic never crosses
 * a network: a developer's local container or SQL Express, where a self-signed certificate is the norm. Given the
 * file's path, a Compose service of the same network counts too (`Server=sqlserver` in appsettings.Docker.json).
 */
export function isLoopbackSqlServer(raw: string, filePath?: string): boolean {
  const local = (host: string) => (filePath === undefined ? isLocalMachineHost(host) : isLocalDevHost(host, filePath));
  const jdbc = JDBC_HOST.exec(raw);
  if (jdbc) return local(jdbc[1]);
  const m = SQL_SERVER_VALUE.exec(raw);
  if (!m) return false;
  // tcp:/np:/lpc: protocol prefix, then host[\instance][,port].
  const host = m[1].trim().replace(/^(?:tcp|np|lpc|admin):/i, '').split(/[\\,]/)[0];
  return local(host);
}

/** Cheap test before the SQL patterns: the value mentions one of the keys at all. */
const SQL_HINT = /encrypt|trust/i;

/**
 * Encrypt=False / TrustServerCertificate=True pairs of the connection string `raw` (which starts at offset `base`
 * of the document), each with its value fix. The caller decides that `raw` is a SQL connection string.
 */
export function sqlConnectionFindings(raw: string, base: number, settingName: string, path: string[] | undefined, out: RawFinding[], filePath?: string): void {
  if (isLoopbackSqlServer(raw, filePath)) return;
  SQL_PAIR.lastIndex = 0;
  for (let m = SQL_PAIR.exec(raw); m; m = SQL_PAIR.exec(raw)) {
    const key = m[3].toLowerCase();
    const value = m[5];
    const v = value.toLowerCase();
    let good: string | undefined;
    if (key === 'encrypt' && (v === 'false' || v === 'no' || v === 'optional')) good = v === 'no' ? 'yes' : 'true';
    else if (key !== 'encrypt' && (v === 'true' || v === 'yes')) good = v === 'yes' ? 'no' : 'false';
    if (!good) continue;
    const pairStart = base + m.index + m[1].length + m[2].length;
    const valueStart = pairStart + m[3].length + m[4].length;
    const replacement = sameCase(value, good);
    out.push({
      ruleId: SQL_ENCRYPT,
      start: pairStart,
      end: valueStart + value.length,
      ...(path ? { path } : {}),
      settingName,
      message:
        key === 'encrypt'
          ? `The SQL connection string sets ${m[3]}=${value}, so traffic to the database may be unencrypted; use ${m[3]}=${replacement}.`
          : `The SQL connection string sets ${m[3]}=${value}, so the server certificate is not validated; use ${m[3]}=${replacement}.`,
      fix: { title: `Set ${m[3]}=${replacement}`, start: valueStart, end: valueStart + value.length, replacement },
    });
  }
}

const IAC_KINDS: ReadonlySet<FileKind> = new Set<FileKind>(['arm-template', 'arm-parameters', 'bicep', 'bicepparam', 'terraform']);

const SQL = 'Server=tcp:contoso-sql.database.windows.net,1433;Initial Catalog=orders;Authentication=Active Directory Default;';

export const sqlEncrypt: RuleUnit = {
  rules,
  patterns: [SQL_HINT, SQL_SERVER_KEY, SQL_PAIR, SQL_SERVER_VALUE, JDBC_HOST],
  detector: {
    keys: ['*'],
    create(s) {
      const text = s.doc.text;
      // A local SQL container (docker-compose.override.yml, appsettings.Development.json) is not production; IaC
      // is deployed whatever its file is called, and local.settings.json values can be published to the app
      // (func azure functionapp publish --publish-local-settings).
      const devOnly = !IAC_KINDS.has(s.doc.kind) && s.doc.kind !== 'local-settings' && isDevelopmentOnlyFile(s.check.path);
      return {
        onEntry(c: EntryCtx) {
          const e = c.entry;
          if (devOnly || !isSettingValue(e)) return;
          // The source text is searched so offsets stay exact.
          const length = e.contentEnd - e.contentStart;
          if (length > 20 && length < 8192) {
            const raw = text.slice(e.contentStart, e.contentEnd);
            if (SQL_HINT.test(raw) && SQL_SERVER_KEY.test(raw)) sqlConnectionFindings(raw, e.contentStart, c.setting?.name ?? e.key, e.path, s.out, s.check.path);
          }
        },
      };
    },
  },
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [SQL_ENCRYPT]: {
      positives: [
        { name: 'ARM connection string Encrypt=False', file: 'azuredeploy.json', text: armApp('', `"connectionStrings": [ { "name": "Orders", "connectionString": "${SQL}Encrypt=False;", "type": "SQLAzure" } ]`), at: 'Encrypt=False' },
        { name: 'a single-label server outside a Compose setup', file: 'appsettings.json', text: '{ "ConnectionStrings": { "CatalogConnection": "Server=sqlserver,1433;Initial Catalog=Catalog;User Id=app;TrustServerCertificate=true;" } }', at: 'TrustServerCertificate=true' },
        { name: 'appsettings.json TrustServerCertificate=true', file: 'appsettings.json', text: '{ "ConnectionStrings": { "Orders": "Data Source=sql01.contoso.com;Database=orders;Integrated Security=true;TrustServerCertificate=true" } }', at: 'TrustServerCertificate=true' },
        // JDBC URLs of Spring Boot config (../appconfig).
        { name: 'JDBC encrypt=false in application.properties', file: 'src/main/resources/application.properties', text: 'spring.datasource.url=jdbc:sqlserver://db.example.com:1433;databaseName=app;encrypt=false\n', at: 'encrypt=false' },
        // String literals of source code (../appconfig/sqlLiterals).
        { name: 'C# connection string literal Encrypt=False', file: 'src/Orders/Db.cs', text: `var cs = "${SQL}Encrypt=False;";\n`, at: 'Encrypt=False' },
        { name: 'JDBC trustServerCertificate=true in application.yaml', file: 'application.yaml', text: 'spring:\n  datasource:\n    url: "jdbc:sqlserver://db.example.com;encrypt=true;trustServerCertificate=true"\n', at: 'trustServerCertificate=true' },
      ],
      negatives: [
        { name: 'Encrypt=True, certificate validated', file: 'appsettings.json', text: `{ "ConnectionStrings": { "Orders": "${SQL}Encrypt=True;TrustServerCertificate=False;" } }` },
        { name: 'Encrypt=false outside a SQL connection string', file: 'appsettings.json', text: '{ "Cache": { "Options": "Encrypt=false;Compress=true;Mode=fast" } }' },
        { name: 'JDBC URL with verified encryption', file: 'application.properties', text: 'spring.datasource.url=jdbc:sqlserver://db.example.com;encrypt=true;trustServerCertificate=false\n' },
        { name: 'a commented-out connection string in code', file: 'src/Orders/Db.cs', text: `// var cs = "${SQL}Encrypt=False;";\n` },
        { name: 'a connection string in a test', file: 'tests/Orders.Tests/DbTests.cs', text: `var cs = "${SQL}Encrypt=False;";\n` },
        { name: 'a development profile', file: 'application-dev.properties', text: 'spring.datasource.url=jdbc:sqlserver://localhost;encrypt=false\n' },
        // eShopOnWeb: the SQL Server container of the Compose network, with its self-signed certificate.
        { name: 'a Compose service in the Docker environment settings', file: 'src/Web/appsettings.Docker.json', text: '{ "ConnectionStrings": { "CatalogConnection": "Server=sqlserver,1433;Initial Catalog=Catalog;User Id=sa;Trusted_Connection=false;TrustServerCertificate=true;" } }' },
      ],
    },
  };
}
