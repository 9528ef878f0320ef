import { recordAudit } from '../../kernel/audit/index.js';
import { insertFile } from '../../kernel/files/repo.js';
import { IMAGE_EXTENSIONS, sniffImage } from '../../kernel/files/sniff.js';
import { discardUpload, keepUpload, readHead, type UploadedFile } from '../../kernel/files/uploads.js';
import type { Kernel } from '../../kernel/http/types.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { newId } from '../../kernel/ids.js';
import type { CurrentUser } from '../../kernel/ui/context.js';
import { LOGO_MAX_BYTES } from './schemas.js';

export interface SettingsInput {
  networkName: string;
  regionCode: string;
  contactEmail: string;
  removeLogo: boolean;
  logo: UploadedFile | null;
}

/** Checks an uploaded logo by its content; returns the error key or the sniffed type. */
export async function checkLogo(logo: UploadedFile): Promise<{ error: MessageKey } | { mime: keyof typeof IMAGE_EXTENSIONS }> {
  if (logo.truncated || logo.size > LOGO_MAX_BYTES) return { error: 'settings.logoTooLarge' };
  const mime = sniffImage(await readHead(logo.tmpPath));
  if (!mime) return { error: 'settings.logoType' };
  return { mime };
}

export async function updateSettings(
  deps: Pick<Kernel, 'db' | 'settings' | 'config' | 'clock'>,
  actor: CurrentUser & { ip?: string },
  input: SettingsInput,
): Promise<{ ok: true } | { ok: false; field: string; error: MessageKey }> {
  const before = await deps.settings.get();
  let logoFileId = input.removeLogo ? null : before.logoFileId;
  if (input.logo) {
    const checked = await checkLogo(input.logo);
    if ('error' in checked) {
      await discardUpload(input.logo);
      return { ok: false, field: 'logo', error: checked.error };
    }
    const id = newId();
    const storagePath = await keepUpload(deps.config.dataDir, input.logo, id, IMAGE_EXTENSIONS[checked.mime]);
    await insertFile(deps.db, {
      id,
      purpose: 'logo',
      original_name: input.logo.filename.slice(0, 200),
      mime: checked.mime,
      size: input.logo.size,
      storage_path: storagePath,
      created_by: actor.id,
      created_at: deps.clock.now().toISOString(),
    });
    logoFileId = id;
  }
  const after = await deps.settings.update({
    networkName: input.networkName,
    regionCode: input.regionCode,
    contactEmail: input.contactEmail,
    logoFileId,
  });
  await recordAudit(deps.db, actor, {
    action: 'settings.updated',
    entityType: 'settings',
    before: { networkName: before.networkName, regionCode: before.regionCode, contactEmail: before.contactEmail, logoFileId: before.logoFileId },
    after: { networkName: after.networkName, regionCode: after.regionCode, contactEmail: after.contactEmail, logoFileId: after.logoFileId },
  }, deps.clock.now());
  return { ok: true };
}
