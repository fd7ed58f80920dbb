// HTTP CONNECT proxy on 127.0.0.1 that tunnels every `<host>:443` to the fake Azure HTTPS server, so a real
// client configured with a proxy (HTTPS_PROXY, VS Code's `http.proxy`) and trusting the test CA
// (NODE_EXTRA_CA_CERTS) reaches the fake without code changes. It never connects anywhere but 127.0.0.1.

import http from 'node:http';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxyLogEntry {
  /** The CONNECT target as asked, e.g. `myvault.vault.azure.net:443`. */
  target: string;
  /** 'tunnelled' or the refusal status. */
  outcome: 'tunnelled' | 'refused';
}

export class FakeAzureProxy {
  readonly log: ProxyLogEntry[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  /** `http://127.0.0.1:<port>` — the value for HTTPS_PROXY or VS Code's `http.proxy`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(targetPort: number): Promise<FakeAzureProxy> {
    const server = http.createServer((_req, res) => {
      res.writeHead(405, { 'content-type': 'text/plain' });
      res.end('fake Azure proxy: only CONNECT is supported\n');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const proxy = new FakeAzureProxy(server, (server.address() as AddressInfo).port);
    const track = (s: Socket): void => {
      proxy.sockets.add(s);
      s.once('close', () => proxy.sockets.delete(s));
    };
    server.on('connection', track);
    server.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
      const target = req.url ?? '';
      const port = /:(\d+)$/.exec(target)?.[1];
      if (port !== '443') {
        proxy.log.push({ target, outcome: 'refused' });
        client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      proxy.log.push({ target, outcome: 'tunnelled' });
      const upstream = net.connect(targetPort, '127.0.0.1');
      track(upstream);
      upstream.once('connect', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      const close = (): void => {
        upstream.destroy();
        client.destroy();
      };
      upstream.once('error', close);
      client.once('error', close);
      upstream.once('close', close);
      client.once('close', close);
    });
    return proxy;
  }

  async dispose(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await closed;
  }
}
