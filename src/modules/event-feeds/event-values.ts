import { DEFAULT_TIME_ZONE, toLocalInputs } from '../../kernel/time/zoned.js';
import { feedPlace } from './feed-location.js';
import type { FeedItem } from './parse-ical.js';

const DAY_MS = 86_400_000;

/**
 * The values of an event proposal made from a feed item, in the shape of the event form
 * (local dates and times in Europe/Paris; an all-day event's end date is its last day).
 */
export function feedItemValues(item: FeedItem, feed: { id: string; organisation_id: string }): Record<string, unknown> {
  const start = toLocalInputs(item.start, DEFAULT_TIME_ZONE);
  // iCalendar's DTEND of an all-day event is the day after the last one.
  const end = toLocalInputs(item.allDay ? new Date(item.end.getTime() - DAY_MS) : item.end, DEFAULT_TIME_ZONE);
  return {
    title: item.title,
    summary: '',
    description: item.description ?? '',
    type_code: 'member_event',
    all_day: item.allDay ? '1' : '',
    start_date: start.date,
    start_time: item.allDay ? '' : start.time,
    end_date: end.date < start.date ? start.date : end.date,
    end_time: item.allDay ? '' : end.time,
    ...feedPlace(item.location),
    latitude: '',
    longitude: '',
    online_url: item.url ?? '',
    online_url_private: '',
    audience: '',
    price_note: '',
    organisers: [feed.organisation_id],
    themes: [],
    countries: [],
    sdgs: [],
    source: 'feed',
    feed_id: feed.id,
    feed_uid: item.uid,
    cancelled: item.cancelled ? '1' : '',
  };
}
