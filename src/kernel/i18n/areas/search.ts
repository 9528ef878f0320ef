/** Catalogue of search (src/modules/search): French keys (source) and their English translation. */
export const searchFr = {
} as const;

export const searchEn: Record<keyof typeof searchFr, string> = {
};
