// The embeddable widget: a bare page (no site menu) that members' websites show in an iframe.
// Links are relative: inside the frame they resolve against this site, and open in a new tab.
import type { Locale, Translate } from '../../kernel/i18n/index.js';
import type { AgendaLabels } from './labels.js';
import type { ListedEvent } from './listing.js';
import { dayLabel, eventPlace, eventWhen, isOnline } from './present.js';

export interface WidgetProps {
  t: Translate;
  locale: Locale;
  networkName: string;
  rows: ListedEvent[];
  labels: AgendaLabels;
  /** The full agenda with the same filters. */
  moreHref: string;
}

export function WidgetPage({ t, locale, networkName, rows, labels, moreHref }: WidgetProps) {
  const title = `${t('agenda.widget.title')} · ${networkName}`;
  return (
    <>
      {'<!doctype html>'}
      <html lang={locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title safe>{title}</title>
          <link rel="stylesheet" href={"/assets/agenda-widget.css"} />
        </head>
        <body>
          <main class="widget">
            <h1 safe>{title}</h1>
            {rows.length ? (
              <ol class="widget-list">
                {rows.map((e) => {
                  const day = dayLabel(e.starts_at, locale);
                  const place = eventPlace(e);
                  return (
                    <li class={`widget-event event-${e.status}`}>
                      <p class="widget-date" aria-hidden="true">
                        <span class="widget-day" safe>
                          {day.day}
                        </span>
                        <span class="widget-month" safe>
                          {day.month}
                        </span>
                      </p>
                      <div>
                        <h2>
                          <a href={`/agenda/${encodeURIComponent(e.slug)}`} target="_blank" rel="noopener">
                            <span safe>{e.title}</span>
                          </a>
                        </h2>
                        <p class="widget-when">
                          {e.status === 'cancelled' || e.status === 'postponed' ? (
                            <strong class="widget-status" safe>
                              {`${t(e.status === 'cancelled' ? 'agenda.status.cancelled' : 'agenda.status.postponed')} · `}
                            </strong>
                          ) : (
                            ''
                          )}
                          <span safe>{eventWhen(e, locale)}</span>
                        </p>
                        <p class="widget-meta" safe>
                          {[labels.type(e.type_code), place, isOnline(e) ? t('agenda.card.online') : null].filter(Boolean).join(' · ')}
                        </p>
                      </div>
                    </li>
                  );
                })}
              </ol>
            ) : (
              <p safe>{t('agenda.widget.empty')}</p>
            )}
            <p class="widget-more">
              <a href={moreHref} target="_blank" rel="noopener" safe>
                {t('agenda.widget.more')}
              </a>
            </p>
          </main>
        </body>
      </html>
    </>
  );
}
