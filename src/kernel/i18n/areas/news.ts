/** Catalogue of news (src/modules/news): French keys (source) and their English translation. */
export const newsFr = {
} as const;

export const newsEn: Record<keyof typeof newsFr, string> = {
};
