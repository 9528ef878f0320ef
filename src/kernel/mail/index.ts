import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';

export interface OutgoingMessage {
  to: string | string[];
  subject: string;
  /** Every message has a text part. */
  text: string;
  html?: string;
  replyTo?: string;
  headers?: Record<string, string>;
  /** Display name of the sender for this message (the address stays MAIL_FROM's). */
  fromName?: string;
  /** Files sent with the message (an .ics invitation…). */
  attachments?: { filename: string; content: string | Buffer; contentType: string }[];
}

export interface SentMessage {
  messageId: string;
  /** Where a development message was written, when there is no SMTP server. */
  file?: string;
}

/** MAIL_FROM, or its address under another display name. */
function senderOf(from: string, name: string | undefined): string | { name: string; address: string } {
  if (!name) return from;
  return { name, address: /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from };
}

export interface Mailer {
  send(message: OutgoingMessage): Promise<SentMessage>;
  close(): Promise<void>;
  /** Set when there is no SMTP server (no SMTP_URL): the folder messages are written to instead of being sent. */
  readonly outbox?: string;
}

/** SMTP through a nodemailer pool when SMTP_URL is set; otherwise `.eml` files in DATA_DIR/outbox. */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'dataDir'>): Mailer {
  if (config.smtpUrl) return smtpMailer(config.smtpUrl, config.mailFrom);
  return outboxMailer(path.join(config.dataDir, 'outbox'), config.mailFrom);
}

function smtpMailer(smtpUrl: string, from: string): Mailer {
  const url = new URL(smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    pool: true,
    maxConnections: 5,
    // A local relay on plain SMTP (127.0.0.1) must not be forced into STARTTLS.
    ignoreTLS: url.searchParams.get('tls') === 'off',
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      const info = await transport.sendMail({ ...message, from: senderOf(from, message.fromName) });
      return { messageId: info.messageId };
    },
    async close() {
      transport.close();
    },
  };
}

function outboxMailer(dir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    outbox: dir,
    async send(message) {
      const info = await transport.sendMail({ ...message, from: senderOf(from, message.fromName) });
      await fs.mkdir(dir, { recursive: true });
      const safeId = info.messageId.replace(/[^A-Za-z0-9.@-]/g, '');
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${safeId}.eml`);
      await fs.writeFile(file, info.message as Buffer);
      return { messageId: info.messageId, file };
    },
    async close() {},
  };
}
