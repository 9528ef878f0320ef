import type { HomeBlock } from '../../kernel/module.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { agendaVersion, eventPlace, eventWhen, type EventRow } from '../events/index.js';
import { upcomingEvents } from './listing.js';
import { parseAgendaQuery } from './query.js';

const HOME_EVENTS = 3;

function UpcomingEvents({ ctx, events }: { ctx: ViewContext; events: EventRow[] }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="upcoming-title" class="section">
      <h2 id="upcoming-title" safe>
        {t('home.upcoming.title')}
      </h2>
      <ul class="card-grid">
        {events.map((e) => (
          <li class="card">
            <h3>
              <a href={`/agenda/${encodeURIComponent(e.slug)}`} safe>
                {e.title}
              </a>
            </h3>
            <p>
              <time datetime={e.starts_at} safe>
                {eventWhen(e, ctx.locale)}
              </time>
            </p>
            {eventPlace(e) ? <p safe>{eventPlace(e)}</p> : ''}
          </li>
        ))}
      </ul>
      <p>
        <a class="button button-secondary" href="/agenda" safe>
          {t('home.upcoming.all')}
        </a>
      </p>
    </section>
  );
}

/** The next events of the agenda on the home page; hidden when none is coming. */
export const upcomingEventsHomeBlock: HomeBlock = {
  order: 20,
  version: (kernel) => agendaVersion(kernel),
  async render(kernel, ctx) {
    const { rows } = await upcomingEvents({ db: kernel.db }, parseAgendaQuery({}), kernel.clock.now(), HOME_EVENTS);
    return rows.length ? UpcomingEvents({ ctx, events: rows }) : '';
  },
};
