import type { Visibility } from '../../db/schema.js';
import type { Translate } from '../../kernel/i18n/index.js';

export const VISIBILITIES: readonly Visibility[] = ['public', 'members', 'staff'];

/** Who may see an organisation, as people read it; an unknown value reads as the narrowest, staff only. */
export function visibilityLabel(t: Translate, visibility: unknown): string {
  const known = VISIBILITIES.find((v) => v === visibility);
  return t(`org.visibility.${known ?? 'staff'}`);
}
