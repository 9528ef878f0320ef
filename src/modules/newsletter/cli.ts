// `maillage mailing:list`, `mailing:send <id>`, `mailing:status <id>`: mailings from a terminal or a
// script (exit codes: 0 done, 1 refused or unknown, 2 paused by the error threshold or SMTP down).
import os from 'node:os';
import type { Kernel } from '../../kernel/http/types.js';
import { formatMessage, translator } from '../../kernel/i18n/index.js';
import { newsletterDeps } from './deps.js';
import * as mailingRepo from './mailing-repo.js';
import { progressOf, resumeMailing } from './send-control.js';
import { runMailing } from './sender.js';
import { parseReason, startSend } from './start-send.js';

const fr = translator('fr');
const CLI_ACTOR = { id: null, email: null };

export interface Output {
  log(message: string): void;
  error(message: string): void;
}

async function findByRef(kernel: Kernel, ref: string) {
  return (await mailingRepo.findMailing(kernel.db, ref)) ?? (await mailingRepo.findMailingBySlug(kernel.db, ref));
}

function statusLine(p: Awaited<ReturnType<typeof progressOf>>): string {
  const eta = p.etaSeconds === null ? 'inconnue' : `${p.etaSeconds} s`;
  return `envoyés ${p.sent}, en échec ${p.failed}, écartés ${p.skipped}, restants ${p.remaining} sur ${p.total} — ${p.rate} msg/s, fin estimée : ${eta}`;
}

export async function runMailingList(kernel: Kernel, out: Output): Promise<number> {
  const mailings = await mailingRepo.listMailings(kernel.db, 0, 1000);
  if (mailings.length === 0) {
    out.log('Aucun envoi. Créez-en un dans le back-office : /admin/lettres');
    return 0;
  }
  const deps = newsletterDeps(kernel);
  for (const m of mailings) {
    const p = await progressOf(deps, m);
    out.log([m.id, m.status, `${p.sent}/${m.total} envoyés`, `${p.failed} en échec`, m.finished_at ?? m.started_at ?? m.scheduled_at ?? m.created_at, m.subject].join('\t'));
  }
  return 0;
}

export async function runMailingStatus(kernel: Kernel, ref: string, out: Output): Promise<number> {
  const mailing = await findByRef(kernel, ref);
  if (!mailing) {
    out.error(`Envoi inconnu : ${ref} (voir maillage mailing:list)`);
    return 1;
  }
  const progress = await progressOf(newsletterDeps(kernel), mailing);
  out.log(`${mailing.subject} — ${fr(`newsletter.status.${mailing.status}`)}`);
  out.log(`sent=${progress.sent} failed=${progress.failed} skipped=${progress.skipped} remaining=${progress.remaining} total=${progress.total}`);
  const reason = parseReason(mailing.pause_reason);
  if (reason) out.log(fr(reason.key, reason.params));
  return 0;
}

/**
 * Starts (or resumes) a mailing and sends it from this process until it is done, paused or
 * cancelled; workers (`maillage worker`) may send it at the same time. Ctrl-C stops after the
 * messages in flight: run the command again to carry on, nobody is skipped.
 */
export async function runMailingSend(kernel: Kernel, ref: string, out: Output, signal?: AbortSignal): Promise<number> {
  const deps = newsletterDeps(kernel);
  const mailing = await findByRef(kernel, ref);
  if (!mailing) {
    out.error(`Envoi inconnu : ${ref} (voir maillage mailing:list)`);
    return 1;
  }
  if (mailing.status === 'draft' || mailing.status === 'scheduled') {
    const started = await startSend(deps, CLI_ACTOR, mailing.id);
    if (!started.ok) {
      out.error(fr(started.key, started.params));
      return 1;
    }
    out.log(fr('newsletter.flash.started', { count: started.total.toLocaleString('fr-FR') }));
  } else if (mailing.status === 'paused') {
    await resumeMailing(deps, CLI_ACTOR, mailing.id);
    out.log('Envoi repris.');
  } else if (mailing.status === 'sent' || mailing.status === 'cancelled') {
    out.log(`Rien à faire : envoi ${fr(`newsletter.status.${mailing.status}`).toLowerCase()}.`);
    return mailing.status === 'sent' ? 0 : 1;
  }
  let shown = 0;
  const outcome = await runMailing(deps, mailing.id, {
    workerId: `cli:${os.hostname()}:${process.pid}:${Date.now().toString(36)}`,
    signal,
    onBatch: async () => {
      if (Date.now() - shown < 2000) return;
      shown = Date.now();
      const current = await mailingRepo.findMailing(kernel.db, mailing.id);
      if (current) out.log(statusLine(await progressOf(deps, current)));
    },
  });
  const final = (await mailingRepo.findMailing(kernel.db, mailing.id))!;
  out.log(statusLine(await progressOf(deps, final)));
  if (outcome === 'sent') {
    out.log('Envoi terminé.');
    return 0;
  }
  if (outcome === 'stopped') {
    out.log(`Interrompu. Relancez « maillage mailing:send ${mailing.id} » pour continuer.`);
    return 1;
  }
  const reason = parseReason(final.pause_reason);
  out.log(`Envoi ${fr(`newsletter.status.${final.status}`).toLowerCase()}${reason ? ` : ${fr(reason.key, reason.params)}` : ''}`);
  return outcome === 'paused' ? 2 : 1;
}

/** `maillage newsletter:bounces <file.eml|dir>`: bounce messages read from files (a mailbox export). */
export async function runBounceImport(kernel: Kernel, target: string, out: Output): Promise<number> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const { processBounce } = await import('./bounces.js');
  let files: string[];
  try {
    const stat = await fs.stat(target);
    files = stat.isDirectory() ? (await fs.readdir(target)).filter((f) => /\.(eml|msg|txt)$/i.test(f)).sort().map((f) => path.join(target, f)) : [target];
  } catch {
    out.error(`Fichier ou dossier introuvable : ${target}`);
    return 1;
  }
  const counts = { hard: 0, soft: 0, autoReply: 0, other: 0 };
  for (const file of files) {
    const outcome = await processBounce(newsletterDeps(kernel), await fs.readFile(file));
    if (outcome.kind === 'auto_reply') {
      counts.autoReply++;
      out.log(`${path.basename(file)} : réponse automatique (ignorée)`);
    } else if (outcome.kind === 'unrecognised') {
      counts.other++;
      out.log(`${path.basename(file)} : pas un retour d’erreur (ignoré)`);
    } else {
      for (const r of outcome.recipients) {
        if (r.classification === 'hard') counts.hard++;
        if (r.classification === 'soft') counts.soft++;
        const what = r.classification === 'hard' ? 'erreur définitive' : r.classification === 'soft' ? 'erreur temporaire' : 'pas une erreur';
        out.log(`${path.basename(file)} : ${r.email} ${r.status ?? ''} ${what}${r.suppressed ? ', adresse exclue des envois' : ''}`);
      }
    }
  }
  out.log(
    formatMessage(
      'fr',
      '{files, plural, one {# message} other {# messages}} : {hard, plural, one {# erreur définitive} other {# erreurs définitives}}, {soft, plural, one {# temporaire} other {# temporaires}}, {autoReply, plural, one {# réponse automatique} other {# réponses automatiques}}, {other, plural, one {# autre} other {# autres}}.',
      { files: files.length, hard: counts.hard, soft: counts.soft, autoReply: counts.autoReply, other: counts.other },
    ),
  );
  return 0;
}
