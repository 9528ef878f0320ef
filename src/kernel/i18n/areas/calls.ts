/** Catalogue of calls (src/modules/calls): French keys (source) and their English translation. */
export const callsFr = {
} as const;

export const callsEn: Record<keyof typeof callsFr, string> = {
};
