// `maillage watch:add`, `watch:fetch`, `watch:list`: the watch's sources from a terminal or a script.
import type { Kernel } from '../../kernel/http/types.js';
import { translator } from '../../kernel/i18n/index.js';
import { watchDeps } from './deps.js';
import { storedErrorText } from './errors.js';
import { fetchSources, SWEEP } from './fetch-source.js';
import * as repo from './repo.js';
import { addSource, findSourceByRef } from './sources.js';

const fr = translator('fr');
const CLI_ACTOR = { id: null, email: null };

export interface Output {
  log(message: string): void;
  error(message: string): void;
}

export async function runWatchAdd(kernel: Kernel, url: string, options: { name?: string; category?: string }, out: Output): Promise<number> {
  const result = await addSource(watchDeps(kernel), CLI_ACTOR, { url, name: options.name ?? null, category: options.category ?? null });
  if (!result.ok) {
    out.error(`${fr(result.key, result.params)} (${url})`);
    return 1;
  }
  out.log(`Source ajoutée : ${result.id} ${url}`);
  return 0;
}

export async function runWatchFetch(kernel: Kernel, options: { source?: string }, out: Output): Promise<number> {
  const deps = watchDeps(kernel);
  let sources: repo.SourceRow[];
  if (options.source) {
    const source = await findSourceByRef(deps, options.source);
    if (!source) {
      out.error(`Source inconnue : ${options.source} (voir maillage watch:list)`);
      return 1;
    }
    sources = [source];
  } else {
    sources = (await repo.listSources(deps.db)).filter((s) => s.active === 1);
  }
  const result = await fetchSources(deps, sources, {
    concurrency: SWEEP.concurrency,
    onResult: (source, outcome) => {
      const head = `${source.name} <${source.url}>`;
      if (outcome.status === 'error') out.log(`${head} : erreur — ${fr(outcome.error.messageKey, outcome.error.params)}`);
      else if (outcome.status === 'not_modified') out.log(`${head} : 0 nouveau, 0 mis à jour, inchangé (304)`);
      else out.log(fr('watch.cli.fetched', { source: head, new: outcome.new, updated: outcome.updated, unchanged: outcome.unchanged }));
    },
  });
  out.log(fr('watch.cli.total', { sources: result.sources, new: result.new, updated: result.updated, unchanged: result.unchanged, errors: result.errors }));
  return result.errors > 0 ? 2 : 0;
}

export async function runWatchList(kernel: Kernel, out: Output): Promise<number> {
  const sources = await repo.listSources(kernel.db);
  if (sources.length === 0) {
    out.log('Aucune source de veille. Ajoutez-en une : maillage watch:add <url>');
    return 0;
  }
  for (const s of sources) {
    const error = storedErrorText(s.last_error, fr);
    out.log(
      [
        s.id,
        s.active ? 'active' : 'inactive',
        s.category ?? '-',
        fr('watch.cli.items', { count: s.item_count }),
        `dernier succès : ${s.last_success_at ?? 'jamais'}`,
        error ? `dernière erreur : ${error}` : 'sans erreur',
        s.name,
        s.url,
      ].join('\t'),
    );
  }
  return 0;
}
