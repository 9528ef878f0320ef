import type { PageCacheConfig } from '../../kernel/http/page-cache.js';
import { agendaVersion, agendaPageCache as eventsPageCache, agendaSeatsPageCache as eventsSeatsPageCache } from '../events/index.js';

/**
 * Agenda pages are cached until an event (or its links) changes: the database moves the agenda's
 * version. What passes with time (an event ending, a registration deadline) and what other modules
 * own (an organiser renamed) shows within the page cache's 30-second lifetime: one version query
 * per request, not two.
 */
export const agendaPageCache: PageCacheConfig = eventsPageCache;

/**
 * The event page (« 3 places restantes », « Complet ») and the upcoming events (a « Complet » mark)
 * say what seats are left: their cache also ends when a registration takes or frees a seat.
 */
export const agendaSeatsPageCache: PageCacheConfig = eventsSeatsPageCache;

const FEED_TTL_MS = 60_000;
const MAX_FEEDS = 200;

interface Feed {
  version: string;
  storedAt: number;
  body: string;
}

/**
 * iCalendar and JSON feeds rendered once per URL and agenda version (calendar programs poll them;
 * a feed of a thousand events takes tens of milliseconds to write), least recently used evicted.
 */
export class FeedCache {
  private readonly entries = new Map<string, Feed>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(kernel: Parameters<typeof agendaVersion>[0], key: string, render: () => Promise<string>): Promise<string> {
    const version = await agendaVersion(kernel);
    const hit = this.entries.get(key);
    this.entries.delete(key);
    if (hit && hit.version === version && this.now() - hit.storedAt <= FEED_TTL_MS) {
      this.entries.set(key, hit);
      return hit.body;
    }
    const body = await render();
    this.entries.set(key, { version, storedAt: this.now(), body });
    while (this.entries.size > MAX_FEEDS) this.entries.delete(this.entries.keys().next().value!);
    return body;
  }
}
