import { recordAudit, type AuditActor } from '../../kernel/audit/index.js';
import { wallClock } from '../../kernel/time/zoned.js';
import type { CallAlertsDeps } from './deps.js';
import * as repo from './repo.js';

/** The hour (Europe/Paris) from which the day's digests go out, unless an admin chose another. */
export const DEFAULT_SEND_HOUR = 7;

export interface CallAlertSettings {
  /** 0–23, Europe/Paris. */
  sendHour: number;
}

export function isHour(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 23;
}

export async function callAlertSettings(deps: Pick<CallAlertsDeps, 'db'>): Promise<CallAlertSettings> {
  const stored = await repo.readSettings(deps.db);
  const hour = Number(stored['sendHour']);
  return { sendHour: stored['sendHour'] !== undefined && isHour(hour) ? hour : DEFAULT_SEND_HOUR };
}

export async function saveSendHour(deps: Pick<CallAlertsDeps, 'db' | 'clock'>, actor: AuditActor, hour: number): Promise<void> {
  const before = await callAlertSettings(deps);
  const now = deps.clock.now();
  await repo.writeSetting(deps.db, 'sendHour', String(hour), now.toISOString());
  await recordAudit(deps.db, actor, { action: 'call_alerts.settings_updated', entityType: 'call_alert_settings', entityId: null, before, after: { sendHour: hour } }, now);
}

/** Whether the day's digests may go out at that instant: from the send hour, Paris time. */
export function sendHourReached(now: Date, settings: CallAlertSettings): boolean {
  return wallClock(now).hour >= settings.sendHour;
}
