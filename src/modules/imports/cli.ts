// `maillage import`, `import:undo`, `import:list`: the engine run inline, with its detection,
// mapping, validation summary, progress and counts printed for the person at the terminal.
import fs from 'node:fs';
import path from 'node:path';
import type { Kernel } from '../../kernel/http/types.js';
import { formatDateTime, formatFileSize, localLabel, type MessageKey, translator } from '../../kernel/i18n/index.js';
import { toLocalInputs } from '../../kernel/time/zoned.js';
import { batchFilePath, parseBatch, storedDetection, undoneCounts } from './batch-data.js';
import { DEFAULT_IMPORT_VISIBILITY, inspectFile } from './batch-reading.js';
import { createBatch, mappingNameOf, nextUpdatedAt, queueCommit, saveMapping, findSavedMapping, sourceNameOf, validateBatch } from './batches.js';
import { n, type Output, Phases, printDetection, printIgnoredReading, printMapping, printSummary, rowsPerSecond } from './cli-output.js';
import { ImportInterrupted, progressOf, refreshStatistics, runCommit } from './commit.js';
import { loadContext } from './context.js';
import { ImportError } from './errors.js';
import { duplicateFinderFor, importDeps } from './jobs.js';
import { legalBasisChoice } from './legal-basis.js';
import { checkMappingAgainst, parseMapping } from './mapping.js';
import { fileSha256 } from './read.js';
import { ReportFile } from './report.js';
import * as repo from './repo.js';
import { DELIMITERS } from './detect-dialect.js';
import { IMPORT_MODES, type ImportActor, type ImportMode, type MappingDocument, type ReadingChoice, TEXT_ENCODINGS, type TextEncodingName, type ValidationSummary } from './types.js';
import { undoBatch } from './undo.js';
import { VISIBILITIES } from './wizard-form.js';
import { validateFile } from './validate.js';

const fr = translator('fr');
const CLI_ACTOR: ImportActor = { id: null, email: null };

/** Exit codes of `maillage import`. */
export const EXIT = { ok: 0, refused: 1, allOrNothing: 2, partial: 3, interrupted: 130 } as const;

export interface ImportCommandOptions {
  file: string;
  mapping?: string;
  saveMapping?: string;
  source?: string;
  dryRun?: boolean;
  mode?: string;
  legalBasis?: string;
  legalDetail?: string;
  legalDate?: string;
  report?: string;
  chunkRows?: number;
  /** Who sees the created organisations: public, members or staff (default: the mapping's, else public). */
  visibility?: string;
  /** The file's encoding, over the detected one: utf-8, windows-1252, iso-8859-1, utf-16le, utf-16be. */
  encoding?: string;
  /** The file's column separator, over the detected one: ; , | or tab. */
  separator?: string;
  /** Import the file even though an earlier import (not undone) wrote the same content. */
  again?: boolean;
  /** Where and how the consent was collected (with `legalBasis: consent`, required, as in the wizard). */
  consentSource?: string;
}

async function readMapping(deps: ReturnType<typeof importDeps>, ref: string): Promise<{ mapping: MappingDocument; origin: string }> {
  if (fs.existsSync(ref) && fs.statSync(ref).isFile()) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(ref, 'utf8').replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new ImportError('imports.error.mappingUnreadable', { file: ref, detail: error instanceof Error ? error.message : String(error) });
    }
    return { mapping: parseMapping(json), origin: `fichier ${ref}` };
  }
  const saved = await findSavedMapping(deps, ref);
  if (!saved) throw new ImportError('imports.error.fileNotFound', { file: ref });
  return { mapping: saved, origin: `correspondance enregistrée « ${ref} »` };
}

function reportPathFor(dataDir: string, option: string | undefined, name: string): string {
  if (option) return path.resolve(option);
  const dir = path.join(dataDir, 'imports');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `rapport-${name}.csv`);
}

function modeOf(value: string | undefined): ImportMode {
  const mode = (value ?? 'all-or-nothing').trim();
  if (!(IMPORT_MODES as readonly string[]).includes(mode)) throw new ImportError('imports.error.mode', { value: mode });
  return mode as ImportMode;
}

function visibilityOf(value: string | undefined): MappingDocument['visibility'] | undefined {
  if (value === undefined) return undefined;
  const visibility = value.trim();
  if (!(VISIBILITIES as readonly string[]).includes(visibility)) throw new ImportError('imports.error.visibility', { value: visibility });
  return visibility as MappingDocument['visibility'];
}

/** Names people give an encoding, as the reader knows it. */
const ENCODING_ALIASES: Record<string, TextEncodingName> = { utf8: 'utf-8', latin1: 'iso-8859-1', 'latin-1': 'iso-8859-1', cp1252: 'windows-1252' };

/** `--encoding` and `--separator` as a reading choice (the wizard's file step, on the command line). */
function readingChoiceOf(encoding: string | undefined, separator: string | undefined): ReadingChoice {
  const choice: ReadingChoice = {};
  if (encoding !== undefined) {
    const name = encoding.trim().toLowerCase();
    const known = ENCODING_ALIASES[name] ?? (TEXT_ENCODINGS as readonly string[]).find((e) => e === name);
    if (!known) throw new ImportError('imports.error.readingEncoding', { value: encoding });
    choice.encoding = known as TextEncodingName;
  }
  if (separator !== undefined) {
    const raw = separator === '\t' ? separator : separator.trim();
    const delimiter = ['tab', '\\t'].includes(raw.toLowerCase()) ? '\t' : raw;
    if (!(DELIMITERS as readonly string[]).includes(delimiter)) throw new ImportError('imports.error.readingSeparator', { value: separator });
    choice.delimiter = delimiter;
  }
  return choice;
}

/** « Ce fichier a déjà été importé le … (lot …, source …) », what that import created, and its page. */
function printAlreadyImported(out: Output, batch: repo.BatchRow, baseUrl: string): void {
  out.log(fr('imports.alreadyImported', { date: formatDateTime(batch.finished_at ?? batch.created_at, 'fr'), batch: batch.id, source: batch.source_name }));
  out.log(fr('imports.cli.alreadyImportedCounts', { organisations: n(batch.created_organisations), contacts: n(batch.created_contacts) }));
  out.log(fr('imports.cli.alreadyImportedLink', { url: `${baseUrl}/admin/imports/${batch.id}` }));
}

function peakMemory(): string {
  return formatFileSize(process.resourceUsage().maxRSS * 1024, 'fr');
}

/** Commits a queued or interrupted batch, printing progress (every tenth) and the final counts. */
async function commitWithProgress(kernel: Kernel, out: Output, batchId: string, chunkRows: number | undefined, phases = new Phases()): Promise<number> {
  const deps = importDeps(kernel);
  const abort = new AbortController();
  const onSignal = () => {
    out.log('Interruption demandée : arrêt après le lot de lignes en cours…');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = performance.now();
  let lastTenth = -1;
  try {
    const done = await runCommit(deps, CLI_ACTOR, batchId, {
      chunkRows,
      signal: abort.signal,
      onWait: () => out.log('Un autre import écrit dans la base : celui-ci attend qu’il se termine…'),
      onProgress: (batch) => {
        const p = progressOf(batch);
        const tenth = Math.floor(p.percent / 10);
        if (tenth === lastTenth) return;
        lastTenth = tenth;
        const speed = p.rowsPerSecond ? rowsPerSecond(p.rowsPerSecond) : '…';
        const eta = p.etaSeconds !== null ? `, reste ~${Math.ceil(p.etaSeconds)} s` : '';
        out.log(fr('imports.cli.progress', { percent: p.percent.toLocaleString('fr-FR'), done: n(p.done), total: n(p.total), speed, eta }));
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const p = progressOf(done);
    out.log(
      fr('imports.cli.done', {
        seconds: seconds.toLocaleString('fr-FR', { maximumFractionDigits: 1 }),
        organisations: n(done.created_organisations),
        contacts: n(done.created_contacts),
        skipped: n(done.skipped_rows),
        rejected: n(done.rejected_rows),
        speed: p.rowsPerSecond ? ` — ${rowsPerSecond(p.rowsPerSecond)}` : '',
      }),
    );
    out.log(`Lot d’import : ${done.id} (annulation : maillage import:undo ${done.id})`);
    out.log('Doublons : maillage dedupe lance l’analyse complète (file d’examen dans /admin/doublons).');
    phases.mark('écriture');
    if (await refreshStatistics(deps, done)) phases.mark('statistiques');
    out.log(phases.line(done.processed_rows));
    out.log(`Mémoire maximale : ${peakMemory()}`);
    return done.rejected_rows > 0 ? EXIT.partial : EXIT.ok;
  } catch (error) {
    if (error instanceof ImportInterrupted) {
      const batch = await repo.findBatch(deps.db, batchId);
      out.log(`Import interrompu après la ligne ${batch?.checkpoint_row ?? '?'} : relancez la même commande pour reprendre (lot ${batchId}).`);
      return EXIT.interrupted;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** `maillage import <file> [--mapping m.json|NAME] [--source NAME] [--dry-run] [--mode …] [--legal-basis …] [--encoding …] [--separator …]`. */
export async function runImportCommand(kernel: Kernel, options: ImportCommandOptions, out: Output): Promise<number> {
  const deps = importDeps(kernel);
  const file = path.resolve(options.file);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new ImportError('imports.error.fileNotFound', { file: options.file });
  const fileName = path.basename(file);
  const sourceName = options.source?.trim() || sourceNameOf(fileName);
  const mode = modeOf(options.mode);
  const visibility = visibilityOf(options.visibility);
  const reading = readingChoiceOf(options.encoding, options.separator);
  // The name is checked before the file is read; the mapping is saved after its validation (see below).
  const name = options.saveMapping === undefined ? undefined : mappingNameOf(options.saveMapping);
  const legalBasis = legalBasisChoice(
    { basis: options.legalBasis, detail: options.legalDetail, date: options.legalDate, consentSource: options.consentSource },
    { fileName, sourceName },
    kernel.clock.now(),
  );

  // The same file from the same source again: resumed from its checkpoint when it was interrupted.
  const sha256 = await fileSha256(file);
  let existing = await repo.findBatchOfFile(deps.db, sha256, sourceName);
  const resumable = existing !== undefined && ['queued', 'running', 'failed'].includes(existing.status) && existing.checkpoint_row > 0;
  // The same file (same content) imported before, under this source or another: said at once, and
  // imported again only when asked (`--again`). From the same source nothing is to do (a re-run).
  // A dry run writes nothing: it goes on, said so.
  const earlier = resumable ? undefined : await repo.findCommittedBatchOfFile(deps.db, sha256);
  if (earlier) {
    printAlreadyImported(out, earlier, kernel.config.baseUrl);
    if (options.again) out.log(fr('imports.cli.again'));
    else if (options.dryRun) out.log(fr('imports.cli.alreadyImportedDryRun'));
    else {
      const same = earlier.source_name === sourceName;
      out.log(same ? fr('imports.cli.alreadyImportedSame') : fr('imports.cli.alreadyImportedRefused', { source: sourceName }));
      return same ? EXIT.ok : EXIT.refused;
    }
    // A batch of its own: the one that wrote the file stays as it is.
    if (existing?.status === 'committed') existing = undefined;
  }
  if (existing && resumable) {
    out.log(fr('imports.cli.resume', { batch: existing.id, row: existing.checkpoint_row, processed: n(existing.processed_rows), total: n(existing.total_rows) }));
    // Rows already written were read one way: the rest is read the same way, whatever this run says.
    const ignored = [options.encoding !== undefined ? '--encoding' : '', options.separator !== undefined ? '--separator' : ''].filter(Boolean);
    if (ignored.length) printIgnoredReading(out, ignored, parseBatch(existing).detection);
    if (options.dryRun) return EXIT.ok;
    if (existing.file_path !== file && !fs.existsSync(batchFilePath(deps.dataDir, existing))) await repo.updateBatch(deps.db, existing.id, { file_path: file });
    return commitWithProgress(kernel, out, existing.id, options.chunkRows);
  }

  const phases = new Phases();
  const inspection = await inspectFile(deps, file, fs.statSync(file).size, reading);
  phases.mark('détection');
  printDetection(out, inspection, file);
  const read = options.mapping ? await readMapping(deps, options.mapping) : { mapping: inspection.guessed, origin: 'devinée d’après les en-têtes' };
  const { origin } = read;
  const mapping: MappingDocument = { ...read.mapping, visibility: visibility ?? read.mapping.visibility ?? DEFAULT_IMPORT_VISIBILITY };
  checkMappingAgainst(mapping, inspection.detection.headers);
  const { labels } = await loadContext(deps.db);
  const named: Record<string, { code: string; label_fr: string; label_en: string }[]> = { kind: labels.kinds, themes: labels.themes, zones: labels.zones };
  const codeLabel = (field: string, code: string) => {
    const entry = named[field]?.find((e) => e.code === code);
    return entry ? localLabel(entry, 'fr') : null;
  };
  printMapping(out, mapping, origin, inspection.detection.headers, kernel.clock.now().getUTCFullYear(), codeLabel);
  out.log(`Visibilité des structures créées : ${fr(`importWizard.visibility.${mapping.visibility}` as MessageKey)}`);

  let batchId: string | null = null;
  if (!options.dryRun) {
    if (existing) {
      // Only if nobody wrote to it since it was read above (a validation started from the web…).
      const written = await repo.updateBatchUnchanged(deps.db, existing, {
        file_path: file,
        file_name: fileName,
        // The reading of this run (its --encoding, --separator), which the validation and the commit use.
        detection: storedDetection(inspection.detection),
        mapping: JSON.stringify(mapping),
        status: 'draft',
        updated_at: nextUpdatedAt(existing.updated_at, kernel.clock.now()),
      });
      if (!written) throw new ImportError('imports.error.batchChanged');
      batchId = existing.id;
    } else {
      batchId = (await createBatch(deps, CLI_ACTOR, { filePath: file, fileName, sourceName, inspection, mapping })).id;
    }
  }
  const stamp = kernel.clock.now().toISOString().replace(/[-:]/g, '').slice(0, 15);
  const report = new ReportFile(reportPathFor(deps.dataDir, options.report, batchId ?? `${sourceName}-${stamp}-essai`));
  let summary: ValidationSummary;
  try {
    summary = batchId
      ? // Another validation taking this batch meanwhile (the web, another command) stops this one, said in French.
        await validateBatch(deps, batchId, { onLines: (lines) => report.write(lines), findDuplicates: duplicateFinderFor(deps), refuseIfReplaced: true })
      : await validateFile(
          { file, detection: inspection.detection, mapping, context: await loadContext(deps.db), now: kernel.clock.now() },
          { onLines: (lines) => report.write(lines), findDuplicates: duplicateFinderFor(deps) },
        );
  } finally {
    await report.close();
  }
  phases.mark('validation');
  printSummary(out, summary, report.path, report.lines);
  const basisLabel = fr(`imports.mode.${mode}` as MessageKey);
  out.log(`Mode : ${basisLabel} ; base légale des contacts : ${fr(`imports.basis.${legalBasis.basis}` as MessageKey)}${legalBasis.date ? ` (${legalBasis.date})` : ''} — « ${legalBasis.detail} »`);
  const refused = mode === 'all-or-nothing' && summary.errorRows > 0;
  // Saved once the whole file was read with it, even when rows have errors: the mapping reads the
  // file's columns as meant, the rows are what is to fix, and the next run takes it by its name.
  // A mapping that does not fit the file was refused above (checkMappingAgainst): nothing saved.
  if (name && options.dryRun) out.log(`Essai à blanc : la correspondance n’est pas enregistrée sous « ${name} ».`);
  else if (name) {
    await saveMapping(deps, CLI_ACTOR, name, mapping);
    if (!refused) out.log(`Correspondance enregistrée sous « ${name} » (réutilisable avec --mapping "${name}").`);
  }
  if (refused) {
    out.log(fr('imports.error.allOrNothing', { count: n(summary.errorRows) }));
    if (name && !options.dryRun) {
      out.log(
        `Rien n’a été importé, mais la correspondance est enregistrée sous « ${name} » : elle lit bien les colonnes du fichier, ce sont des lignes qui ont des erreurs. ` +
          `Corrigez-les (voir le rapport), puis relancez avec --mapping "${name}".`,
      );
    }
    return EXIT.allOrNothing;
  }
  if (options.dryRun) {
    out.log('Essai à blanc : rien n’a été écrit dans la base.');
    out.log(phases.line(summary.totalRows));
    out.log(`Mémoire maximale : ${peakMemory()}`);
    return summary.errorRows > 0 ? EXIT.partial : EXIT.ok;
  }
  await queueCommit(deps, batchId!, { mode, legalBasis, inline: true });
  return commitWithProgress(kernel, out, batchId!, options.chunkRows, phases);
}

/** `maillage import:undo <batch-id>`. */
export async function runUndoCommand(kernel: Kernel, batchId: string, out: Output): Promise<number> {
  const removed = await undoBatch(importDeps(kernel), CLI_ACTOR, batchId);
  out.log(fr('imports.cli.undone', { batch: batchId, organisations: n(removed.organisations), contacts: n(removed.contacts) }));
  return EXIT.ok;
}

/** When a batch was created, in Europe/Paris time as the web shows it: « 2026-12-02 14:39 ». */
function parisTime(iso: string): string {
  const { date, time } = toLocalInputs(new Date(iso));
  return `${date} ${time}`;
}

/** `maillage import:list`: the latest imports, to find a batch id; times in Europe/Paris, as the web shows them. */
export async function runListCommand(kernel: Kernel, out: Output): Promise<number> {
  const batches = await repo.listBatches(kernel.db, 30);
  if (!batches.length) {
    out.log(fr('importWizard.listEmpty'));
    return EXIT.ok;
  }
  out.log(fr('imports.cli.listHeader'));
  for (const b of batches) {
    const p = progressOf(b);
    // Undone: what the undo removed (as the web's list says), not what the import had created.
    const removed = b.status === 'undone' ? undoneCounts(b, b.undo_journal) : null;
    const counts = removed
      ? fr('imports.cli.listUndone', { organisations: n(removed.organisations), contacts: n(removed.contacts) })
      : fr('imports.cli.listCounts', { organisations: n(b.created_organisations), contacts: n(b.created_contacts) });
    out.log(`${b.id}  ${parisTime(b.created_at)}  ${b.status.padEnd(9)}  ${b.source_name} / ${b.file_name}  ${counts}${b.status === 'running' ? `, ${p.percent} %` : ''}`);
  }
  return EXIT.ok;
}
