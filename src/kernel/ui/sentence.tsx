import { escapeHtml, type PropsWithChildren } from '@kitajs/html';

/**
 * A catalogue sentence with markup (a link, a file name that wraps) in place of its placeholder:
 * `text` is given the placeholder's value; the rest of the sentence stays escaped text.
 */
export function Sentence({ text, children }: PropsWithChildren<{ text: (placeholder: string) => string }>) {
  const marker = '\u0000';
  const [before = '', after = ''] = text(marker).split(marker);
  return (
    <>
      {escapeHtml(before)}
      {children}
      {escapeHtml(after)}
    </>
  );
}

/** A catalogue sentence with a link in place of its placeholder. */
export function SentenceWithLink({ text, href, label }: { text: (placeholder: string) => string; href: string; label: string }) {
  return (
    <Sentence text={text}>
      <a href={href} safe>
        {label}
      </a>
    </Sentence>
  );
}
