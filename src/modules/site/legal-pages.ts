import type { MessageKey } from '../../kernel/i18n/index.js';

type Section = { heading: MessageKey; paragraphs: MessageKey[] };

export const LEGAL_PAGES: Record<string, { title: MessageKey; sections: Section[] }> = {
  '/mentions-legales': {
    title: 'legal.title',
    sections: [
      { heading: 'legal.publisher.h', paragraphs: ['legal.publisher.p1', 'legal.publisher.p2'] },
      { heading: 'legal.hosting.h', paragraphs: ['legal.hosting.p1'] },
      { heading: 'legal.software.h', paragraphs: ['legal.software.p1'] },
    ],
  },
  '/donnees-personnelles': {
    title: 'privacy.title',
    sections: [
      { heading: 'privacy.controller.h', paragraphs: ['privacy.controller.p1'] },
      { heading: 'privacy.data.h', paragraphs: ['privacy.data.p1', 'privacy.data.p2'] },
      { heading: 'privacy.basis.h', paragraphs: ['privacy.basis.p1'] },
      { heading: 'privacy.retention.h', paragraphs: ['privacy.retention.p1'] },
      { heading: 'privacy.rights.h', paragraphs: ['privacy.rights.p1', 'privacy.rights.p2'] },
      { heading: 'privacy.cookies.h', paragraphs: ['privacy.cookies.p1'] },
    ],
  },
  '/accessibilite': {
    title: 'a11y.title',
    sections: [
      { heading: 'a11y.commitment.h', paragraphs: ['a11y.commitment.p1'] },
      { heading: 'a11y.status.h', paragraphs: ['a11y.status.p1', 'a11y.status.p2'] },
      { heading: 'a11y.method.h', paragraphs: ['a11y.method.p1'] },
      { heading: 'a11y.feedback.h', paragraphs: ['a11y.feedback.p1', 'a11y.feedback.p2'] },
    ],
  },
};
