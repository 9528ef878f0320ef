import type { AuditActor } from '../../kernel/audit/index.js';
import type { MessageKey, Translate } from '../../kernel/i18n/index.js';
import { createMailing } from '../newsletter/index.js';
import { type BulletinDeps, contentEnv } from './editor.js';
import { monthChoices, monthlyBlocks, monthName } from './template.js';

// « Nouveau bulletin mensuel »: a draft mailing holding the standard blocks for a month.

export interface MonthlyInput {
  /** `YYYY-MM`, one of `monthChoices`. */
  month: string;
  /** Empty: « Lettre d'information — mars 2027 ». */
  subject: string;
  fromName: string;
  listIds: string[];
}

export type MonthlyResult = { ok: true; id: string } | { ok: false; field: string; key: MessageKey };

export function monthlySubject(t: Translate, month: string): string {
  return t('bulletin.monthly.subject', { month: monthName(month) });
}

export async function createMonthlyBulletin(deps: BulletinDeps, actor: AuditActor, input: MonthlyInput, t: Translate): Promise<MonthlyResult> {
  if (!monthChoices(deps.clock.now()).includes(input.month)) return { ok: false, field: 'month', key: 'bulletin.error.month' };
  const subject = input.subject.trim() || monthlySubject(t, input.month);
  if (subject.length < 2) return { ok: false, field: 'subject', key: 'newsletter.error.subject' };
  const blocks = await monthlyBlocks(contentEnv(deps), t);
  const result = await createMailing(deps, actor, { subject, fromName: input.fromName, replyTo: null, body: '', blocks, listIds: input.listIds, segmentId: null });
  return result.ok ? { ok: true, id: result.id } : { ok: false, field: result.field, key: result.key };
}
