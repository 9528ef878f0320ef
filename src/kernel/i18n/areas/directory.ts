/** Catalogue of the directory area: French keys (source) and their English translation. */
export const directoryFr = {
  'directory.placeholder': '—',
} as const satisfies Record<string, string>;

export const directoryEn: Record<keyof typeof directoryFr, string> = {
  'directory.placeholder': '—',
};
