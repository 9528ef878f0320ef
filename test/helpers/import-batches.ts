import fs from 'node:fs';
import path from 'node:path';
import type { Kernel } from '../../src/kernel/http/types.js';
import { type BatchRow, createBatch, findBatch, importDeps, inspectFile, queueCommit, runCommit, validateBatch } from '../../src/modules/imports/index.js';

/** A small valid file of two organisations (semicolons, UTF-8): what the wizard's tests start from. */
export const SMALL_CSV = 'Nom structure;Type de structure;CP;Ville;Thématiques\nAssociation Lune;Association;33000;Bordeaux;Éducation et formation\nCollectif Soleil;Collectif;47000;Agen;\n';

const ACTOR = { id: null, email: 'seed@example.org' };

/**
 * An import batch of `content` stopped at a step of the wizard: draft (uploaded), validated
 * (report made) or committed (written). The file sits under DATA_DIR, named by `name`.
 */
export async function seedBatch(kernel: Kernel, name: string, step: 'draft' | 'validated' | 'committed', content = SMALL_CSV): Promise<BatchRow> {
  const deps = importDeps(kernel);
  const dir = path.join(kernel.config.dataDir, 'seeded-imports');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  const inspection = await inspectFile(deps, file, fs.statSync(file).size);
  const batch = await createBatch(deps, ACTOR, { filePath: file, fileName: name, sourceName: name.replace(/\.\w+$/, ''), inspection });
  if (step === 'draft') return batch;
  await validateBatch(deps, batch.id);
  if (step === 'committed') {
    await queueCommit(deps, batch.id, { mode: 'valid-only', legalBasis: { basis: 'legitimate_interest', detail: 'Test' }, inline: true });
    return runCommit(deps, ACTOR, batch.id);
  }
  return (await findBatch(kernel.db, batch.id))!;
}
