import type { ViewContext } from '../../kernel/ui/context.js';
import type { RecapLine } from './recap.js';

/**
 * What the person gave, as label and value, on the confirmation page of the browser that sent the
 * form (nothing when there is no recap to show).
 */
export function RecapSection({ ctx, recap }: { ctx: ViewContext; recap: RecapLine[] | null }) {
  const { t } = ctx;
  if (!recap?.length) return '';
  return (
    <section aria-labelledby="recap-title" class="reg-recap">
      <h2 id="recap-title" safe>
        {t('registrations.recap.title')}
      </h2>
      <dl class="facts">
        {recap.map((line) => (
          <>
            <dt safe>{line.label}</dt>
            <dd safe>{line.value}</dd>
          </>
        ))}
      </dl>
      <p class="hint" safe>
        {t('registrations.recap.pageHint')}
      </p>
    </section>
  );
}
