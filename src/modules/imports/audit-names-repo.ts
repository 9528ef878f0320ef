import { namerOf } from '../../kernel/audit/index.js';

/** Import batches in the journal, by their file's name. */
export const importBatchNamer = namerOf('import_batch', 'import_batches', 'file_name', (id) => `/admin/imports/${id}`);
