import { escapeHtml } from '@kitajs/html';

/** A sentence of the catalogue with a link in place of its `{placeholder}`; the rest stays escaped text. */
export function WithLink({ text, href, label }: { text: (placeholder: string) => string; href: string; label: string }) {
  const marker = '\u0000';
  const [before = '', after = ''] = text(marker).split(marker);
  return (
    <>
      {escapeHtml(before)}
      <a href={href} safe>
        {label}
      </a>
      {escapeHtml(after)}
    </>
  );
}
