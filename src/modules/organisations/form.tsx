import type { ViewContext } from '../../kernel/ui/context.js';

/** The fields of the organisation form, shared by staff edit, member proposals and public proposals. */
export function OrganisationFormFields(_props: { ctx: ViewContext; values: Record<string, unknown>; errors: Record<string, string>; staff: boolean }) {
  return '';
}
