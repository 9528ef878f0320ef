/** Catalogue of the moderation area: French keys (source) and their English translation. */
export const moderationFr = {
  'moderation.placeholder': '—',
} as const satisfies Record<string, string>;

export const moderationEn: Record<keyof typeof moderationFr, string> = {
  'moderation.placeholder': '—',
};
