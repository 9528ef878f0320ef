/** Catalogue of the map area: French keys (source) and their English translation. */
export const mapFr = {
  'map.placeholder': '—',
} as const satisfies Record<string, string>;

export const mapEn: Record<keyof typeof mapFr, string> = {
  'map.placeholder': '—',
};
