// Node extension host only: the fake Azure (test/support/fakeAzure) started INSIDE the extension host, reached by
// the extension's real Azure SDK clients the way a user's would reach Azure through a corporate proxy:
// HTTPS_PROXY points at 127.0.0.1:$ASD_FAKE_AZURE_PROXY_PORT (agreed with the driver before code-server started),
// where a plain TCP relay hands every connection to the fake's CONNECT proxy. The host trusts the fake's CA
// through NODE_EXTRA_CA_CERTS, and `az` on PATH is the driver's fake Azure CLI.
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { FakeAzure } from '../../../support/fakeAzure';
import { fakeSecret } from '../../../support/fakeSecrets';

export interface FakeAzureInHost {
  fake: FakeAzure;
  /** First line and headers of each CONNECT the relay saw (who opened the tunnel, to where). */
  connects: string[];
  /** Argument lines of every fake `az` call since the host started. */
  azCalls(): string[];
  dispose(): Promise<void>;
}

export function fakeAzureConfigured(): boolean {
  return !!process.env.ASD_FAKE_AZURE_PROXY_PORT && !!process.env.ASD_FAKE_AZURE_CERT_DIR;
}

export async function startFakeAzureInHost(): Promise<FakeAzureInHost> {
  const port = Number(process.env.ASD_FAKE_AZURE_PROXY_PORT);
  if (!fakeAzureConfigured() || !port) throw new Error('the driver did not set ASD_FAKE_AZURE_PROXY_PORT / ASD_FAKE_AZURE_CERT_DIR (run through scripts/test-host/driver.mjs --mode node)');
  const fake = await FakeAzure.start();
  const target = fake.proxy!.port;
  const connects: string[] = [];
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.once('data', (first: Buffer) => {
      const head = first.toString('latin1');
      connects.push(head.slice(0, Math.max(0, head.indexOf('\r\n\r\n'))).replace(/\r\n/g, ' | '));
      client.pause();
      const upstream = net.connect(target, '127.0.0.1', () => {
        upstream.write(first);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      sockets.add(upstream);
      upstream.once('close', () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.once('error', () => client.destroy());
    });
    client.once('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    relay.once('error', reject);
    relay.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    fake,
    connects,
    azCalls: () => {
      const file = process.env.ASD_FAKE_AZ_LOG;
      return file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    },
    dispose: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
      await fake.dispose();
    },
  };
}

/** Every "Azure Secure Dev" log file the extension host wrote under <user-data>/logs (and its text). */
export function extensionLogText(channel = 'Azure Secure Dev'): { files: string[]; text: string } {
  const root = path.join(process.env.ASD_USER_DATA_DIR ?? '', 'logs');
  const files: string[] = [];
  const walk = (d: string): void => {
    let ents: fs.Dirent[] = [];
    try {
      ents = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of ents) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.log') && e.name.includes(channel)) files.push(p);
    }
  };
  if (process.env.ASD_USER_DATA_DIR) walk(root);
  return { files, text: files.map((f) => fs.readFileSync(f, 'utf8')).join('\n') };
}

/** A fake Azure Storage key (identifiable, checksummed) assembled at run time; `seed` makes it unique. */
export function storageKey(seed: number): string {
  return fakeSecret('azure-storage-key', seed);
}
