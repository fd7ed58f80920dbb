// Transport for tests: an @azure/core-rest-pipeline HttpClient that sends every request to the fake Azure.
// The request URL is left untouched (so Host header, SNI and certificate checks use the real Azure host
// name, covered by the test certificate's SANs); only the TCP connection is redirected to 127.0.0.1:<port>.
// Give it to a client through the SDK's own `httpClient` option.

import { createDefaultHttpClient, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { Duplex } from 'node:stream';
import https from 'node:https';
import tls from 'node:tls';

/** An https.Agent that trusts only the test CA and connects every host to 127.0.0.1:<port>. */
export class FakeAzureAgent extends https.Agent {
  constructor(
    private readonly targetPort: number,
    ca: string,
  ) {
    super({ ca, keepAlive: true, maxSockets: 32 });
  }

  override createConnection(options: https.RequestOptions): Duplex {
    const host = options.hostname ?? options.host ?? 'localhost';
    const given = (options as tls.ConnectionOptions).servername;
    const servername = given || (isIp(host) ? undefined : host);
    // The Agent uses the returned socket directly (no callback needed).
    return tls.connect({
      ...(options as tls.ConnectionOptions),
      host: '127.0.0.1',
      port: this.targetPort,
      ...(servername ? { servername } : {}),
      // Verify the certificate against the host the client asked for, not 127.0.0.1.
      checkServerIdentity: (_h, cert) => tls.checkServerIdentity(host, cert),
    });
  }
}

function isIp(h: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(h) || h.includes(':');
}

export interface FakeHttpClient extends HttpClient {
  readonly agent: FakeAzureAgent;
  /** Requests sent through this client (method + original URL, no bodies). */
  readonly sent: Array<{ method: string; url: string }>;
  dispose(): void;
}

/** HttpClient forwarding to the fake at 127.0.0.1:`port`, trusting `caPem` only. */
export function createFakeHttpClient(port: number, caPem: string): FakeHttpClient {
  const inner = createDefaultHttpClient();
  const agent = new FakeAzureAgent(port, caPem);
  const sent: Array<{ method: string; url: string }> = [];
  return {
    agent,
    sent,
    sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      sent.push({ method: request.method, url: request.url });
      request.agent = agent;
      return inner.sendRequest(request);
    },
    dispose: () => agent.destroy(),
  };
}
