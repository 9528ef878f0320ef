import { type Locale, numberFormat } from '../i18n/index.js';
import type { ViewContext } from './context.js';

export interface Tab {
  href: string;
  label: string;
  /** Shown after the label: « Nouveaux (3) ». */
  count?: number;
  current: boolean;
  /** More attributes for the link (a hook for a script that updates it). */
  attrs?: Record<string, string>;
}

/**
 * A tab's words: its label, and its count when it has one (« Agenda (1 240) »). A script that
 * updates a count in place writes this same text, which the server gives it.
 */
export function tabText(locale: Locale, label: string, count?: number): string {
  return count === undefined ? label : `${label} (${numberFormat(locale).format(count)})`;
}

/**
 * `views`: the states or parts of one list (pills). `sections`: an area's pages (the newsletter's,
 * the watch's), drawn as underlined tabs so that a page with both bars tells them apart.
 */
export type TabKind = 'views' | 'sections';

/**
 * Links between the views of one page or area (a module's back-office pages, a list's states,
 * search sections), the current one marked for assistive technologies (aria-current) and by its
 * look (site.css `.tab-nav`): on a phone they sit two a line in a grid, none hidden off-screen.
 */
export function TabNav({ ctx, label, tabs, kind = 'views' }: { ctx: Pick<ViewContext, 'locale'>; label: string; tabs: readonly Tab[]; kind?: TabKind }) {
  return (
    <nav class={kind === 'sections' ? 'tab-nav tab-nav-sections' : 'tab-nav'} aria-label={label}>
      <ul>
        {tabs.map((tab) => (
          <li>
            <a href={tab.href} {...tab.attrs} aria-current={tab.current ? 'page' : undefined} safe>
              {tabText(ctx.locale, tab.label, tab.count)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
