import { parseArgs } from 'node:util';
import { ConfigError, type Config, loadConfig } from './config.js';
import type { Role } from './db/schema.js';
import type { Kernel } from './kernel/http/types.js';
import { formatMessage } from './kernel/i18n/format-message.js';

// Each command imports what it needs when it runs: `--help`, usage and configuration errors
// answer at once, without loading the web stack.

const USAGE = `Usage : maillage <commande> [options]

  start                       migre, prépare le premier démarrage (admin, démo) et sert l'application
  serve [--no-jobs]           sert l'application (sans les tâches de fond avec --no-jobs)
  worker                      exécute les tâches de fond (processus séparé)
  migrate                     applique les migrations de la base
  seed --demo                 ajoute les données de démonstration
  seed --purge-demo           retire toutes les données de démonstration
  seed --bench [N] [--force]  ajoute N organisations et 3×N contacts de benchmark (50 000 par défaut ;
                              --force remplace celles qui existent)
  user:create --email E --role member|staff|admin [--name N]
                              crée un compte actif et affiche son mot de passe
  backup <fichier.tar.gz>     sauvegarde base SQLite, fichiers et secrets
  restore <fichier.tar.gz> [--force]
                              restaure une sauvegarde dans DATA_DIR
  import <fichier.csv|xlsx> [options]
                              importe des structures et leurs contacts (détection, correspondance devinée
                              ou donnée, rapport de validation CSV, import par lots repris après un arrêt) ;
                              toutes ses options : maillage import --help
  import:undo <lot>           annule un import entier (structures, contacts, liens, consentements)
  import:list                 liste les derniers imports (heure de Paris) et leur état
  watch:add <url> [--name NOM] [--category institutional|funding|mobility|studies|europe|other]
                              ajoute une source de veille (RSS, Atom ou JSON Feed)
  watch:fetch [--source <id|url>]
                              lit toutes les sources actives (ou une seule) et affiche par source :
                              nouveaux, mis à jour, inchangés, erreur ; sortie 2 si une source a échoué
  watch:list                  liste les sources de veille et leur état
  mailing:list                liste les envois de lettres (état, envoyés, échecs)
  mailing:send <id>           lance (ou reprend) un envoi et l'envoie depuis ce processus jusqu'au bout ;
                              sortie 0 : envoyé, 1 : refusé ou interrompu, 2 : suspendu (seuil d'erreurs, SMTP)
  mailing:status <id>         affiche envoyés, en échec, écartés et restants d'un envoi
  newsletter:bounces <fichier.eml|dossier>
                              lit des retours d'erreur (DSN, RFC 3464) : erreur définitive → adresse exclue,
                              temporaire → comptée ; les réponses automatiques sont ignorées
  dedupe [--auto-merge] [--report paires.csv]
                              cherche les doublons parmi toutes les structures (file d'examen ; rapport CSV
                              des paires avec fichier et référence d'origine, score et raisons)
`;

/** `maillage import --help` (and `import:undo --help`, `import:list --help`): every option of an import. */
const IMPORT_USAGE = `Usage : maillage import <fichier.csv|xlsx> [options]

Importe des structures et leurs contacts depuis un fichier CSV ou XLSX : encodage, séparateur et
guillemets détectés, colonnes associées aux champs des fiches, chaque ligne vérifiée (rapport CSV),
puis écriture par lots transactionnels ; relancée, la commande reprend là où elle s'était arrêtée.

Fichier
  --source NOM                le réseau ou l'outil d'où vient le fichier (par défaut : le nom du fichier) ;
                              relancée sur le même fichier et la même source, la commande reprend un
                              import interrompu, ou ne fait rien s'il est terminé
  --again                     importe le fichier même si un import précédent, non annulé, a déjà écrit
                              ce même contenu ; sans --again, la commande dit lequel, quand et sous quelle
                              source, et s'arrête (sous la même source, les lignes déjà importées sont
                              ignorées)
  --encoding ENCODAGE         utf-8, windows-1252, iso-8859-1, utf-16le ou utf-16be, au lieu de l'encodage détecté
  --separator SÉPARATEUR      « ; », « , », « | » ou tab, au lieu du séparateur détecté

Correspondance des colonnes
  --mapping m.json|NOM        un fichier de correspondance (JSON) ou une correspondance enregistrée
                              (par défaut : devinée d'après les en-têtes et les premières lignes)
  --save-mapping NOM          enregistre la correspondance une fois le fichier lu, pour --mapping NOM
  --visibility V              public (par défaut), members ou staff : qui voit les structures créées

Vérification et écriture
  --dry-run                   vérifie seulement (bilan et rapport) : rien n'est écrit
  --mode MODE                 all-or-nothing (par défaut : rien n'est écrit si une ligne est en erreur)
                              ou valid-only (les lignes en erreur sont laissées de côté)
  --report rapport.csv        où écrire le rapport de validation (par défaut : DATA_DIR/imports/)
  --batch-size N              lignes par transaction, de 1 à 10 000 (par défaut : environ une transaction
                              par seconde, 500 lignes au moins, 5 000 au plus sur SQLite et 1 000 sur
                              PostgreSQL)

Base légale des contacts (RGPD), enregistrée pour chacun et visible dans son historique
  --legal-basis BASE          legitimate_interest (par défaut), consent, contract ou legal_obligation
  --legal-date AAAA-MM-JJ     quand les personnes ont été informées ou ont consenti (pas dans le futur ;
                              obligatoire pour consent)
  --consent-source TEXTE      pour consent, obligatoire : où et comment le consentement a été recueilli
                              (formulaire d'adhésion…), comme la « Source du consentement » de l'assistant
  --legal-detail TEXTE        ce que les personnes ont appris ou accepté ; par défaut, comme dans
                              l'assistant : « Contact importé du fichier … (source …). », avec
                              « informé le AAAA-MM-JJ » pour legitimate_interest et --legal-date

Sortie : 0 tout importé (ou rien à faire) ; 1 refusé (fichier illisible, option invalide, fichier déjà
importé sous une autre source sans --again…) ; 2 lignes en erreur en « tout ou rien » (rien d'importé) ;
3 importé sauf les lignes en erreur ; 130 interrompu (relancez la même commande pour reprendre).

Voir aussi :
  maillage import:list        les derniers imports (heure de Paris), leur état et leurs comptes
  maillage import:undo <lot>  annule un import entier (structures, contacts, liens, consentements)
`;

/** Commands with a usage of their own, printed by `maillage <command> --help` (or `maillage help <command>`). */
const COMMAND_USAGE: Record<string, string> = { import: IMPORT_USAGE, 'import:undo': IMPORT_USAGE, 'import:list': IMPORT_USAGE };

class UsageError extends Error {}

/**
 * A line for the terminal with its counts written in French and agreeing (0 and 1 singular):
 * `{n, plural, one {# fichier} other {# fichiers}}`, as in the catalogues.
 */
function french(template: string, counts: Record<string, number>): string {
  return formatMessage('fr', template, Object.fromEntries(Object.entries(counts).map(([name, count]) => [name, count.toLocaleString('fr-FR')])));
}

/** Errors whose message is for the person at the terminal (no stack trace). */
const USER_FACING_ERRORS = new Set(['ConfigError', 'CreateUserError', 'BackupError', 'RestoreError', 'DemoSeedError', 'BenchSeedError', 'ImportError']);

async function withKernel<T>(config: Config, run: (kernel: Kernel) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const { createKernel } = await import('./kernel/create-kernel.js');
  const { migrateToLatest } = await import('./kernel/db/migrate.js');
  const kernel = createKernel(config);
  try {
    if (options.migrate !== false) await migrateToLatest(kernel.db);
    return await run(kernel);
  } finally {
    await kernel.mail.close();
    await kernel.dbHandle.close();
  }
}

async function worker(config: Config): Promise<void> {
  const { defineJobs } = await import('./app.js');
  const { createKernel } = await import('./kernel/create-kernel.js');
  const { migrateToLatest } = await import('./kernel/db/migrate.js');
  const kernel = createKernel(config);
  await migrateToLatest(kernel.db);
  defineJobs(kernel);
  kernel.jobs.start();
  console.log(`Maillage : tâches de fond démarrées (${kernel.jobs.workerId}).`);
  const stop = async () => {
    await kernel.jobs.stop();
    await kernel.mail.close();
    await kernel.dbHandle.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

const ROLES: Role[] = ['member', 'staff', 'admin'];

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  // `maillage --help` and `maillage -h` ask for the usage, like `maillage help`.
  const command = first === '--help' || first === '-h' ? 'help' : first;
  // `seed --bench` alone means the default size: give the option its value.
  const benchAt = rest.indexOf('--bench');
  const args = benchAt >= 0 && (rest[benchAt + 1] === undefined || rest[benchAt + 1]!.startsWith('-')) ? [...rest.slice(0, benchAt + 1), '50000', ...rest.slice(benchAt + 1)] : rest;
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'no-jobs': { type: 'boolean' },
      demo: { type: 'boolean' },
      'purge-demo': { type: 'boolean' },
      bench: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      force: { type: 'boolean' },
      mapping: { type: 'string' },
      'save-mapping': { type: 'string' },
      source: { type: 'string' },
      'dry-run': { type: 'boolean' },
      mode: { type: 'string' },
      'legal-basis': { type: 'string' },
      'legal-detail': { type: 'string' },
      'legal-date': { type: 'string' },
      report: { type: 'string' },
      'batch-size': { type: 'string' },
      visibility: { type: 'string' },
      encoding: { type: 'string' },
      separator: { type: 'string' },
      again: { type: 'boolean' },
      'consent-source': { type: 'string' },
      'auto-merge': { type: 'boolean' },
      category: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (!command || values.help || command === 'help') {
    // `maillage import --help` (or `maillage help import`): that command's own usage.
    const usageOf = command === 'help' ? positionals[0] : command;
    console.log((usageOf !== undefined && COMMAND_USAGE[usageOf]) || USAGE);
    return command ? 0 : 1;
  }
  const config = loadConfig();
  switch (command) {
    case 'start': {
      const { serve } = await import('./server.js');
      await serve(config, { jobs: true, firstStart: true });
      return -1;
    }
    case 'serve': {
      const { serve } = await import('./server.js');
      await serve(config, { jobs: !values['no-jobs'], firstStart: false });
      return -1;
    }
    case 'worker':
      await worker(config);
      return -1;
    case 'migrate':
      return withKernel(config, async (kernel) => {
        const { migrateToLatest } = await import('./kernel/db/migrate.js');
        const done = await migrateToLatest(kernel.db);
        console.log(done.length ? `Migrations appliquées : ${done.join(', ')}` : 'La base est à jour.');
        return 0;
      }, { migrate: false });
    case 'seed':
      if (values.bench !== undefined) {
        if (values.demo || values['purge-demo']) throw new UsageError('seed attend --demo ou --purge-demo, ou bien --bench N');
        const count = Number(values.bench.replace(/[\s_]/g, ''));
        return withKernel(config, async (kernel) => {
          const { seedBench } = await import('./setup/bench-seed.js');
          const started = new Date();
          const result = await seedBench(kernel, count, {
            force: values.force,
            progress: (done, total, ms) => console.log(`${french('{done} / {total, plural, one {# organisation} other {# organisations}}', { done, total })} (${(ms / 1000).toFixed(1)} s)`),
          });
          console.log(
            `${french('{organisations, plural, one {# organisation} other {# organisations}} et {contacts, plural, one {# contact} other {# contacts}} de benchmark ajoutés', { organisations: result.organisations, contacts: result.contacts })} en ${(result.elapsedMs / 1000).toFixed(1)} s (début ${started.toISOString()}).`,
          );
          return 0;
        });
      }
      if (values.demo === values['purge-demo']) throw new UsageError('seed attend --demo ou --purge-demo, ou bien --bench N');
      return withKernel(config, async (kernel) => {
        const { purgeDemo, seedDemo } = await import('./setup/demo-seed.js');
        if (values['purge-demo']) console.log(french('{count, plural, one {# enregistrement de démonstration retiré} other {# enregistrements de démonstration retirés}}.', { count: await purgeDemo(kernel) }));
        else console.log(french('{count, plural, one {# enregistrement de démonstration ajouté} other {# enregistrements de démonstration ajoutés}}.', { count: await seedDemo(kernel) }));
        return 0;
      });
    case 'user:create': {
      const role = values.role as Role | undefined;
      if (!values.email || !role || !ROLES.includes(role)) {
        throw new UsageError('user:create attend --email <adresse> --role member|staff|admin');
      }
      return withKernel(config, async (kernel) => {
        const { createActiveUser } = await import('./modules/accounts/index.js');
        const created = await createActiveUser(kernel, { email: values.email!, role, displayName: values.name });
        console.log(`Compte créé : ${values.email} (${role})`);
        console.log(`Mot de passe (affiché une seule fois) : ${created.password}`);
        return 0;
      });
    }
    case 'backup': {
      const file = positionals[0];
      if (!file) throw new UsageError('backup attend le chemin de l’archive');
      const { createBackup } = await import('./ops/backup.js');
      const manifest = await createBackup(config, file);
      console.log(`Sauvegarde écrite : ${file} (${french('{files, plural, one {# fichier téléversé} other {# fichiers téléversés}}', { files: manifest.files })})`);
      if (manifest.dialect === 'postgres') {
        console.log('Base PostgreSQL : sauvegardez-la à côté avec pg_dump --format=custom (voir docs/operations.md).');
      }
      return 0;
    }
    case 'restore': {
      const file = positionals[0];
      if (!file) throw new UsageError('restore attend le chemin de l’archive');
      const { restoreBackup } = await import('./ops/backup.js');
      const manifest = await restoreBackup(config, file, { force: values.force });
      console.log(`Sauvegarde du ${manifest.createdAt} restaurée dans ${config.dataDir}.`);
      if (manifest.dialect === 'postgres') {
        console.log('Base PostgreSQL : restaurez-la à part avec pg_restore (voir docs/operations.md) ; l’archive ne contient que les fichiers et les secrets.');
      }
      return 0;
    }
    case 'import': {
      const file = positionals[0];
      if (!file) throw new UsageError('import attend le chemin du fichier CSV ou XLSX');
      const batchSize = values['batch-size'] === undefined ? undefined : Number(values['batch-size']);
      if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 10_000)) throw new UsageError('--batch-size attend un nombre de lignes entre 1 et 10 000');
      return withKernel(config, async (kernel) => {
        const { runImportCommand, provideImportDuplicates } = await import('./modules/imports/index.js');
        provideImportDuplicates();
        return runImportCommand(
          kernel,
          {
            file,
            mapping: values.mapping,
            saveMapping: values['save-mapping'],
            source: values.source,
            dryRun: values['dry-run'],
            mode: values.mode,
            legalBasis: values['legal-basis'],
            legalDetail: values['legal-detail'],
            legalDate: values['legal-date'],
            report: values.report,
            chunkRows: batchSize,
            visibility: values.visibility,
            encoding: values.encoding,
            separator: values.separator,
            again: values.again,
            consentSource: values['consent-source'],
          },
          console,
        );
      });
    }
    case 'import:undo': {
      const batchId = positionals[0];
      if (!batchId) throw new UsageError('import:undo attend l’identifiant du lot (voir maillage import:list)');
      return withKernel(config, async (kernel) => (await import('./modules/imports/index.js')).runUndoCommand(kernel, batchId, console));
    }
    case 'dedupe':
      return withKernel(config, async (kernel) =>
        (await import('./modules/duplicates/index.js')).runDedupeCommand(kernel, { autoMerge: values['auto-merge'] === true, report: values.report }),
      );
    case 'watch:add': {
      const url = positionals[0];
      if (!url) throw new UsageError('watch:add attend l’adresse du flux');
      return withKernel(config, async (kernel) => (await import('./modules/watch/index.js')).runWatchAdd(kernel, url, { name: values.name, category: values.category }, console));
    }
    case 'watch:fetch':
      return withKernel(config, async (kernel) => (await import('./modules/watch/index.js')).runWatchFetch(kernel, { source: values.source }, console));
    case 'watch:list':
      return withKernel(config, async (kernel) => (await import('./modules/watch/index.js')).runWatchList(kernel, console));
    case 'newsletter:bounces': {
      const target = positionals[0];
      if (!target) throw new UsageError('newsletter:bounces attend un fichier .eml ou un dossier');
      return withKernel(config, async (kernel) => (await import('./modules/newsletter/index.js')).runBounceImport(kernel, target, console));
    }
    case 'mailing:list':
      return withKernel(config, async (kernel) => (await import('./modules/newsletter/index.js')).runMailingList(kernel, console));
    case 'mailing:status':
    case 'mailing:send': {
      const ref = positionals[0];
      if (!ref) throw new UsageError(`${command} attend l’identifiant de l’envoi (voir maillage mailing:list)`);
      if (command === 'mailing:status') return withKernel(config, async (kernel) => (await import('./modules/newsletter/index.js')).runMailingStatus(kernel, ref, console));
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      return withKernel(config, async (kernel) => (await import('./modules/newsletter/index.js')).runMailingSend(kernel, ref, console, stop.signal));
    }
    case 'import:list':
      return withKernel(config, async (kernel) => (await import('./modules/imports/index.js')).runListCommand(kernel, console));
    default:
      throw new UsageError(`Commande inconnue : ${command}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError || (error instanceof Error && USER_FACING_ERRORS.has(error.name))) {
      console.error(error.message);
    } else if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${error.message}\n\n${USAGE}`);
    } else {
      console.error('Erreur inattendue :', error);
    }
    process.exit(1);
  },
);
