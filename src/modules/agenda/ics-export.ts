// Agenda events as iCalendar events (kernel/calendar/ics.ts writes the file).
import type { IcsEvent, IcsStatus } from '../../kernel/calendar/ics.js';
import { htmlToParagraphs } from '../../kernel/calendar/rich-text.js';
import type { Translate } from '../../kernel/i18n/index.js';
import type { EventRow, EventStatus } from '../events/index.js';
import { eventPlace, publicOnlineUrl } from './present.js';

const STATUS: Record<EventStatus, IcsStatus> = {
  published: 'confirmed',
  cancelled: 'cancelled',
  // A postponed event has no new date yet: calendars show it as not confirmed.
  postponed: 'tentative',
  draft: 'tentative',
  proposed: 'tentative',
};

/** `<event id>@<host of BASE_URL>`: the same for ever, whatever the title, slug or date become. */
export function eventUid(id: string, baseUrl: string): string {
  return `${id}@${new URL(baseUrl).host}`;
}

export function eventUrl(slug: string, baseUrl: string): string {
  return `${baseUrl}/agenda/${encodeURIComponent(slug)}`;
}

/** What a copy of the event adds to what every copy has. */
export interface IcsCopyExtra {
  organisers?: string[];
  /** A participant's copy: the link even when kept for participants. */
  onlineUrl?: string | null;
  /**
   * A participant's copy: the last change of their registration. It counts as a change of their
   * copy, so that the copy removing the event from their calendar when they cancel (METHOD:CANCEL),
   * then the one adding it again when they register again, each outrank the one before.
   */
  copyChangedAt?: string | null;
}

/**
 * One event for a calendar. SEQUENCE grows with every change (seconds between creation and last
 * change), so calendar programs replace their copy when a time, a place or the status changes.
 */
export function toIcsEvent(e: EventRow, baseUrl: string, t: Translate, extra: IcsCopyExtra = {}): IcsEvent {
  const url = eventUrl(e.slug, baseUrl);
  const online = extra.onlineUrl ?? publicOnlineUrl(e);
  const text = [
    e.summary,
    e.description_html ? htmlToParagraphs(e.description_html) : null,
    extra.organisers?.length ? t('agenda.ics.organisers', { names: extra.organisers.join(', ') }) : null,
    online ? t('agenda.ics.online', { url: online }) : null,
    url,
  ].filter((p): p is string => Boolean(p && p.trim()));
  const created = new Date(e.created_at).getTime();
  const copyChanged = extra.copyChangedAt ? Date.parse(extra.copyChangedAt) : Number.NaN;
  const updated = new Date(Math.max(Date.parse(e.updated_at), Number.isNaN(copyChanged) ? 0 : copyChanged));
  const place = eventPlace(e);
  return {
    uid: eventUid(e.id, baseUrl),
    start: new Date(e.starts_at),
    end: new Date(e.ends_at),
    allDay: Number(e.all_day) === 1,
    summary:
      e.status === 'cancelled'
        ? t('agenda.ics.cancelled', { title: e.title })
        : e.status === 'postponed'
          ? t('agenda.ics.postponed', { title: e.title })
          : e.title,
    description: text.join('\n\n'),
    location: place ?? (e.online_url ? t('agenda.ics.place') : null),
    url,
    status: STATUS[e.status],
    sequence: Math.max(0, Math.floor((updated.getTime() - created) / 1000)),
    updated,
    // Not a département's centre: calendars would show it as the place.
    geo: e.latitude !== null && e.longitude !== null && e.geo_precision !== 'department' ? { latitude: Number(e.latitude), longitude: Number(e.longitude) } : null,
  };
}
