// Generates a tree of mixed Azure config and code files for the benchmarks (gitignored, cached).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Deterministic pseudo-random numbers, so every run scans the same tree. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function armTemplate(resources: number, rand: () => number): string {
  const res = [];
  for (let i = 0; i < resources; i++) {
    res.push({
      type: 'Microsoft.Web/sites',
      apiVersion: '2024-04-01',
      name: `[concat(parameters('prefix'), '-app-${i}')]`,
      location: "[resourceGroup().location]",
      identity: { type: 'SystemAssigned' },
      properties: {
        httpsOnly: true,
        serverFarmId: `[resourceId('Microsoft.Web/serverfarms', 'plan-${i}')]`,
        siteConfig: {
          minTlsVersion: '1.2',
          ftpsState: 'Disabled',
          http20Enabled: true,
          appSettings: [
            { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' },
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: "[reference('insights').ConnectionString]" },
            { name: `FEATURE_FLAG_${i}`, value: rand() > 0.5 ? 'true' : 'false' },
            { name: 'ServiceUrl', value: `https://svc-${i}.contoso.example/api` },
          ],
        },
      },
      tags: { env: 'prod', owner: `team-${Math.floor(rand() * 100)}`, costCenter: String(Math.floor(rand() * 1e6)) },
    });
  }
  return JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', parameters: { prefix: { type: 'string' } }, resources: res }, null, 2);
}

function bicep(i: number): string {
  return `param location string = resourceGroup().location
param prefix string

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '\${prefix}-plan-${i}'
  location: location
  sku: { name: 'P1v3' }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: '\${prefix}-app-${i}'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        { name: 'ServiceUrl', value: 'https://svc-${i}.contoso.example' }
      ]
    }
  }
}
`;
}

function terraform(i: number): string {
  return `resource "azurerm_linux_web_app" "app${i}" {
  name                = "app-${i}"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  service_plan_id     = azurerm_service_plan.plan.id
  https_only          = true

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version = "1.2"
    ftps_state          = "Disabled"
  }

  app_settings = {
    "ServiceUrl" = "https://svc-${i}.contoso.example"
  }
}
`;
}

function code(i: number, rand: () => number): string {
  const lines = [`// Generated service ${i}`, 'import { DefaultAzureCredential } from "@azure/identity";', 'import { BlobServiceClient } from "@azure/storage-blob";', ''];
  for (let f = 0; f < 60; f++) {
    lines.push(`export async function handler${f}(req: Request): Promise<Response> {`);
    lines.push(`  const client = new BlobServiceClient(process.env.STORAGE_URL!, new DefaultAzureCredential());`);
    lines.push(`  const container = client.getContainerClient("data-${Math.floor(rand() * 1000)}");`);
    lines.push(`  const value = await container.getBlobClient(req.url).downloadToBuffer();`);
    lines.push(`  return new Response(value, { status: 200, headers: { "x-request-id": "${Math.floor(rand() * 1e9)}" } });`);
    lines.push('}', '');
  }
  return lines.join('\n');
}

function env(i: number): string {
  return [`APP_NAME=svc-${i}`, 'LOG_LEVEL=info', 'STORAGE_URL=https://account.blob.core.windows.net', `PORT=${3000 + (i % 100)}`, 'DB_PASSWORD=${DB_PASSWORD}', ''].join('\n');
}

function yaml(i: number): string {
  return `name: deploy-${i}
on: [push]
permissions:
  id-token: write
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: azure/login@v2
        with:
          client-id: \${{ secrets.AZURE_CLIENT_ID }}
          tenant-id: \${{ secrets.AZURE_TENANT_ID }}
          subscription-id: \${{ secrets.AZURE_SUBSCRIPTION_ID }}
      - run: az webapp deploy --name app-${i} --src-path app.zip
`;
}

/**
 * Writes about `targetMiB` of files under dir; `plant(i)` may return a line with a fake secret to add
 * to some .env files, so the scan has real findings. Returns total bytes.
 */
export function generateTree(dir: string, targetMiB: number, plant?: (i: number) => string | undefined): { bytes: number; files: number } {
  const rand = rng(42);
  let bytes = 0;
  let files = 0;
  const target = targetMiB * 1024 * 1024;
  const write = (rel: string, text: string) => {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    bytes += Buffer.byteLength(text);
    files++;
  };
  for (let i = 0; bytes < target; i++) {
    const base = `svc-${Math.floor(i / 20)}/app-${i}`;
    write(`${base}/infra/azuredeploy.json`, armTemplate(40, rand));
    write(`${base}/infra/main.bicep`, bicep(i));
    write(`${base}/infra/main.tf`, terraform(i));
    write(`${base}/src/handlers.ts`, code(i, rand));
    const secret = plant?.(i);
    write(`${base}/.env`, env(i) + (secret ? `${secret}\n` : ''));
    write(`${base}/.github/workflows/deploy.yml`, yaml(i));
    write(`${base}/appsettings.json`, JSON.stringify({ Logging: { LogLevel: { Default: 'Information' } }, AllowedHosts: '*', ServiceUrl: `https://svc-${i}.contoso.example` }, null, 2));
  }
  return { bytes, files };
}

/** Every 50th service gets a password assignment built at run time (never stored in the repository). */
export function plantedSecret(i: number): string | undefined {
  if (i % 50 !== 0) return undefined;
  const r = rng(i);
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let v = '';
  for (let k = 0; k < 24; k++) v += alphabet[Math.floor(r() * alphabet.length)];
  return `SQL_PASSWORD=${v}`;
}
