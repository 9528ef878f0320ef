import path from 'node:path';
import type { Kernel } from '../../kernel/http/types.js';
import { translator } from '../../kernel/i18n/index.js';
import { autoMerger } from './auto-merge.js';
import { describeReasons } from './reasons.js';
import { writeReport } from './report.js';
import { scanDuplicates } from './scan.js';

export interface DedupeCommandOptions {
  autoMerge: boolean;
  /** Where to write the pairs report (CSV). */
  report?: string;
}

const count = (n: number) => n.toLocaleString('fr-FR');

/**
 * `maillage dedupe [--auto-merge] [--report pairs.csv]`: the full scan from the command line.
 * With `--auto-merge`, pairs above the high threshold with a shared valid identifier are merged
 * (each merge can be undone in /admin/fusions); the others stay in the review queue.
 */
export async function runDedupeCommand(kernel: Kernel, options: DedupeCommandOptions, print: (line: string) => void = console.log): Promise<number> {
  const t = translator('fr');
  const deps = { db: kernel.db, clock: kernel.clock };
  const result = await scanDuplicates({ ...deps, merge: options.autoMerge ? await autoMerger(deps) : undefined }, { autoMerge: options.autoMerge });
  print(
    t('duplicates.cli.scanned', {
      records: count(result.records),
      pairs: count(result.pairs.length),
      auto: count(result.autoMergeable.length),
      seconds: (result.elapsedMs / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 }),
    }),
  );
  print(t('duplicates.cli.stored', { inserted: count(result.inserted), updated: count(result.updated), dismissed: count(result.dismissed) }));
  if (options.autoMerge) {
    print(t('duplicates.cli.autoMerged', { count: count(result.autoMergeable.length) }));
    for (const pair of result.autoMergeable) {
      print(`  ${pair.score.toFixed(3).replace('.', ',')}  ${pair.a.name} (${pair.a.sourceRef ?? pair.a.id}) = ${pair.b.name} (${pair.b.sourceRef ?? pair.b.id}) : ${describeReasons(pair.reasons, t).join(', ')}`);
    }
  } else {
    print(t('duplicates.cli.autoMergeOff'));
  }
  if (options.report) {
    const file = path.resolve(options.report);
    writeReport(file, result.pairs, t);
    print(t('duplicates.cli.report', { file, pairs: count(result.pairs.length) }));
  }
  return 0;
}
