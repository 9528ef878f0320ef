import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  envelopeTo: string[];
  raw: string;
  parsed: ParsedMail;
}

/** A real SMTP server on 127.0.0.1 that keeps every message it accepts. */
export class TestSmtp {
  readonly messages: CapturedMail[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  private server: SMTPServer;
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then((parsed) => {
            this.messages.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
            this.waiters = this.waiters.filter((w) => {
              if (this.messages.length >= w.count) w.resolve();
              return this.messages.length < w.count;
            });
            callback();
          }, callback);
        });
      },
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}?tls=off`;
  }

  /** Resolves once `count` messages in all have arrived (fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs = 5000): Promise<void> {
    if (this.messages.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`SMTP : ${this.messages.length}/${count} message(s) reçus`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** The last message sent to an address, and the first link in its text part matching `pattern`. */
  lastTo(address: string): CapturedMail | undefined {
    return [...this.messages].reverse().find((m) => m.envelopeTo.some((a) => a.toLowerCase() === address.toLowerCase()));
  }

  linkIn(mail: CapturedMail, pattern: RegExp): string {
    const match = (mail.parsed.text ?? '').match(pattern);
    if (!match) throw new Error(`Aucun lien ${pattern} dans le message « ${mail.parsed.subject} »`);
    return match[0];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
