import fs from 'node:fs';
import path from 'node:path';
import type { Kernel } from '../../src/kernel/http/types.js';
import type { JobDefinition, Jobs } from '../../src/kernel/jobs/index.js';
import { VALIDATE_JOB } from '../../src/modules/imports/batches.js';
import { defineImportJobs } from '../../src/modules/imports/jobs.js';
import { type BatchRow, batchReportCsv, createBatch, findBatch, type ImportDeps, importDeps, inspectFile, queueCommit, runCommit, validateBatch } from '../../src/modules/imports/index.js';

/** A small valid file of two organisations (semicolons, UTF-8): what the wizard's tests start from. */
export const SMALL_CSV = 'Nom structure;Type de structure;CP;Ville;Thématiques\nAssociation Lune;Association;33000;Bordeaux;Éducation et formation\nCollectif Soleil;Collectif;47000;Agen;\n';

/** A small file with one problem per row: P2 has no name (an error), P3 and P4 have warnings; its report has 10 lines. */
export const PROBLEMS_CSV = [
  'Réf;Nom structure;Type de structure;CP;Ville;Tél;SIRET/SIREN;N° RNA;Pays;Nom contact;Prénom contact;Mail contact',
  'P1;Eau Vive Gironde;Association;33000;Bordeaux;05 56 00 00 00;;;Sénégal;DIOP;Awa;awa@eauvive.org',
  'P2;;Association;33600;Pessac;;;;;;;',
  'P3;Solidarité Pessac;Fondation;33700;Pessac;0556;123 456 789;X123;Atlantide;;;sans-nom@example.org',
  'P4;Amitiés Limousin;asso;87220;Limoges-sur-Mer;;;W872001234;Mali;Martin;;pas-une-adresse',
].join('\r\n');

/** A batch's validation report as staff download it (CSV, with its byte-order mark and header). */
export async function reportOf(deps: ImportDeps, batchId: string): Promise<string> {
  let text = '';
  for await (const page of batchReportCsv(deps, batchId)) text += page;
  return text;
}

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

/**
 * A meeting point for `count` runs: `hold` waits until every run is there, or over (`leave`).
 * A race test holds each run there (in its duplicate finder, say) to force an interleaving.
 */
export function meeting(count: number) {
  let there = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  const arrive = () => {
    if (++there >= count) release();
  };
  return {
    hold: async () => {
      arrive();
      await all;
    },
    leave: arrive,
  };
}

/** The check's job as the worker runs it (jobs.ts), for the batch `batchId`. */
export function validationJob(deps: ImportDeps): (batchId: string) => Promise<void> {
  let job: JobDefinition<{ batchId: string }> | undefined;
  const jobs = { define: (d: JobDefinition<{ batchId: string }>) => void (d.name === VALIDATE_JOB && (job = d)), every: () => undefined } as unknown as Jobs;
  const kernel = { db: deps.db, dbHandle: { dialect: deps.dialect, sqlite: deps.sqlite }, clock: deps.clock, config: { dataDir: deps.dataDir }, jobs: deps.jobs } as unknown as Kernel;
  defineImportJobs(jobs, kernel);
  return (batchId) => job!.handler({ batchId }, { jobId: 'essai', attempt: 1, signal: new AbortController().signal });
}
