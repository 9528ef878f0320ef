/** Catalogue of the backoffice-organisations area: French keys (source) and their English translation. */
export const backofficeOrganisationsFr = {
  'backofficeOrganisations.placeholder': '—',
} as const satisfies Record<string, string>;

export const backofficeOrganisationsEn: Record<keyof typeof backofficeOrganisationsFr, string> = {
  'backofficeOrganisations.placeholder': '—',
};
