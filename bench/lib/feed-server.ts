// A local server of FEEDS RSS feeds for the watch benchmarks: feed n answers by its kind — 70 %
// "static" (304 once read), 25 % "fresh" (new items each round), 5 % slow (3 s) or broken (500).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const SLOW_DELAY_MS = 3000;
export const FEED_WORDS = 'cooperation decentralisee jeunesse mobilite financement appel projet europe afrique senegal mali climat eau sante education formation region ministere agence solidarite internationale volontariat subvention etude rapport'.split(' ');

export function kindOf(n: number): 'static' | 'fresh' | 'slow' | 'broken' {
  const r = n % 100;
  if (r < 70) return 'static';
  if (r < 95) return 'fresh';
  return r % 2 === 0 ? 'slow' : 'broken';
}

function rss(n: number, round: number, count: number): string {
  const items = Array.from({ length: count }, (_, i) => {
    const id = `${n}-${round}-${i}`;
    return `<item><title>Information ${id} ${FEED_WORDS[(n + i) % FEED_WORDS.length]}</title><link>https://feeds.example/${id}?utm_source=rss</link><guid>${id}</guid><pubDate>${new Date(Date.UTC(2026, 10, 1 + (i % 28), 8)).toUTCString()}</pubDate><description>Texte de l'information ${id}.</description></item>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Flux ${n}</title><link>https://feeds.example/${n}</link>${items.join('')}</channel></rss>`;
}

export interface FeedServer {
  port: number;
  /** The address of feed n. */
  url(n: number): string;
  /** Fresh feeds bring new items from this round on. */
  setRound(round: number): void;
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  let round = 0;
  const server = http.createServer((req, res) => {
    const n = Number(/\/f\/(\d+)/.exec(req.url ?? '')?.[1] ?? -1);
    const kind = kindOf(n);
    const etag = kind === 'fresh' ? `"${n}-${round}"` : `"${n}"`;
    if (kind === 'broken') return void res.writeHead(500).end('oops');
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
    const send = () => res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(rss(n, kind === 'fresh' ? round : 0, 10));
    if (kind === 'slow') setTimeout(send, SLOW_DELAY_MS);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (n) => `http://127.0.0.1:${port}/f/${n}`,
    setRound: (r) => {
      round = r;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A watch source row for the benchmarks' direct inserts. */
export function benchSourceRow(id: string, url: string, name: string, at: string) {
  return { id, url, name, category: null, site_url: null, etag: null, last_modified: null, last_fetched_at: null, last_success_at: null, last_error: null, next_fetch_at: null, created_by: null, created_at: at, updated_at: at };
}
