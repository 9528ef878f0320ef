import { excerptOf, htmlToText, sanitiseRichText } from '../../kernel/html.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Layout } from '../../kernel/ui/layout.js';
import type { PageRow } from './repo.js';

/** A published page as visitors read it (an edited legal page too). */
export function PageView({ ctx, page }: { ctx: ViewContext; page: Pick<PageRow, 'title' | 'body_html'> }) {
  // Sanitised when saved, and again here: what reaches the page is always clean.
  const safeBody = page.body_html ? sanitiseRichText(page.body_html) : '';
  const description = page.body_html ? excerptOf(htmlToText(page.body_html), 200) : undefined;
  return (
    <Layout ctx={ctx} title={page.title} description={description || undefined}>
      <article class="prose">
        <h1 safe>{page.title}</h1>
        {safeBody}
      </article>
    </Layout>
  );
}
