import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KnownAddress {
  /** Matched when the query's `q` contains this text (case-insensitive). */
  contains: string;
  lat: number;
  lng: number;
  score?: number;
  type?: 'housenumber' | 'street' | 'locality' | 'municipality';
  citycode?: string;
}

export interface KnownCommune {
  citycode: string;
  name: string;
  lat: number;
  lng: number;
}

/**
 * A local server speaking the national geocoder's protocol (`GET /search?q=…&citycode=…&type=…&limit=1`
 * → GeoJSON FeatureCollection, coordinates [lon, lat], properties score/type/citycode/label).
 * Known addresses and communes answer with one feature, anything else with none; `failWith`
 * makes every request fail with that status (or drops the connection with 'reset').
 */
export class GeocoderServer {
  readonly requests: URL[] = [];
  failWith: number | 'reset' | null = null;
  private server: http.Server | null = null;
  url = '';

  constructor(
    public addresses: KnownAddress[] = [],
    public communes: KnownCommune[] = [],
  ) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    this.requests.push(url);
    if (this.failWith === 'reset') {
      req.socket.destroy();
      return;
    }
    if (this.failWith !== null) {
      res.writeHead(this.failWith, { 'content-type': 'application/json' });
      res.end('{"code":503,"message":"Service indisponible"}');
      return;
    }
    if (url.pathname !== '/search') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"code":404,"message":"Not found"}');
      return;
    }
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    if (q.length < 3) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"code":400,"message":"q must contain between 3 and 200 chars"}');
      return;
    }
    const type = url.searchParams.get('type');
    const citycode = url.searchParams.get('citycode');
    const features: unknown[] = [];
    if (type === 'municipality') {
      const commune = this.communes.find((c) => (citycode ? c.citycode === citycode : q.includes(c.name.toLowerCase())));
      if (commune) features.push(feature(commune.lng, commune.lat, { score: 0.95, type: 'municipality', citycode: commune.citycode, label: commune.name }));
    } else {
      const known = this.addresses.find((a) => q.includes(a.contains.toLowerCase()));
      if (known) {
        features.push(
          feature(known.lng, known.lat, { score: known.score ?? 0.92, type: known.type ?? 'housenumber', citycode: known.citycode ?? citycode, label: known.contains }),
        );
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ type: 'FeatureCollection', features, query: url.searchParams.get('q') }));
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function feature(lng: number, lat: number, properties: Record<string, unknown>) {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: [lng, lat] }, properties };
}
