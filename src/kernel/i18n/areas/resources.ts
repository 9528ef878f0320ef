/** Catalogue of resources (src/modules/resources): French keys (source) and their English translation. */
export const resourcesFr = {
} as const;

export const resourcesEn: Record<keyof typeof resourcesFr, string> = {
};
