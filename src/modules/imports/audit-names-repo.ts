import type { AuditEntityNamer } from '../../kernel/module.js';

/** Import batches in the journal, by their file's name. */
export const importBatchNamer: AuditEntityNamer = {
  type: 'import_batch',
  async names({ db }, ids) {
    const rows = await db.selectFrom('import_batches').select(['id', 'file_name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, { name: r.file_name, href: `/admin/imports/${encodeURIComponent(r.id)}` }]));
  },
};
