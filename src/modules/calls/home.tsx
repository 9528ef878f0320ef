import type { HomeBlock } from '../../kernel/module.js';
import { listClock } from './listing.js';
import * as repo from './repo.js';
import { callStatus } from './status.js';
import { callPath } from './types.js';
import { callsVersion } from './version.js';
import { deadlineText, remainingText } from './views-parts.js';

/** Calls the home page shows at most. */
export const HOME_CALLS = 4;

/** « Appels à projets qui ferment bientôt »: published calls closing within 14 days, soonest first; hidden when none. */
export const closingSoonBlock: HomeBlock = {
  order: 10,
  version: callsVersion,
  async render(kernel, ctx) {
    const now = kernel.clock.now();
    const calls = await repo.closingSoon(kernel.db, listClock(now), HOME_CALLS);
    if (!calls.length) return '';
    const { t } = ctx;
    return (
      <section aria-labelledby="home-calls-title" class="section home-calls">
        <h2 id="home-calls-title" safe>
          {t('calls.home.title')}
        </h2>
        <ul class="card-grid">
          {calls.map((c) => (
            <li class="card">
              <h3>
                <a href={callPath(c.slug)} safe>
                  {c.title}
                </a>
              </h3>
              <p safe>{c.funder}</p>
              <p>
                <time datetime={c.closes_on} safe>
                  {deadlineText(ctx, c)}
                </time>
              </p>
              <p>
                <strong safe>{remainingText(ctx, c, callStatus(c, now))}</strong>
              </p>
            </li>
          ))}
        </ul>
        <p>
          <a class="button button-secondary" href="/appels-a-projets?statut=bientot" safe>
            {t('calls.home.all')}
          </a>
        </p>
      </section>
    );
  },
};
