import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * A local HTTP server on 127.0.0.1 with handlers by path, for outbound-fetch tests
 * (safe fetch, member iCal feeds, the watch). `allow` is the FETCH_ALLOWLIST entry naming
 * exactly its port.
 */
export class FetchTestServer {
  readonly routes = new Map<string, RouteHandler>();
  readonly requests: Array<{ path: string; headers: http.IncomingHttpHeaders }> = [];
  private server: http.Server | null = null;
  port = 0;

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get allow(): string {
    return `127.0.0.1:${this.port}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  on(path: string, handler: RouteHandler): this {
    this.routes.set(path, handler);
    return this;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      this.requests.push({ path, headers: req.headers });
      const handler = this.routes.get(path);
      if (!handler) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      handler(req, res);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }
}
