// Test support (not used by the application): an SMTP server on 127.0.0.1 that counts what it
// accepts per recipient, keeps the raw messages if asked, and can refuse chosen recipients with a
// 4xx or 5xx reply — enough to exercise retries, failures, thresholds and crash recovery.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type RcptRule = (address: string, attempt: number) => { code: number; message: string } | undefined;

export class SmtpSink {
  /** Accepted messages per recipient address (lower case). */
  readonly received = new Map<string, number>();
  readonly raw: { to: string[]; data: string; at: number }[] = [];
  /** Arrival times (ms) of accepted messages. */
  readonly times: number[] = [];
  private readonly attempts = new Map<string, number>();
  private waiters: { count: number; resolve: () => void }[] = [];
  private readonly server: SMTPServer;
  port = 0;
  total = 0;

  constructor(private readonly options: { keep?: boolean; rule?: RcptRule } = {}) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: 10 * 1024 * 1024,
      onRcptTo: (address, _session, callback) => {
        const email = address.address.toLowerCase();
        const attempt = (this.attempts.get(email) ?? 0) + 1;
        this.attempts.set(email, attempt);
        const refusal = this.options.rule?.(email, attempt);
        if (refusal) {
          const error = new Error(refusal.message) as Error & { responseCode: number };
          error.responseCode = refusal.code;
          callback(error);
          return;
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          for (const address of to) this.received.set(address, (this.received.get(address) ?? 0) + 1);
          const at = Date.now();
          this.times.push(at);
          if (this.options.keep) this.raw.push({ to, data: Buffer.concat(chunks).toString('utf8'), at });
          this.total++;
          this.waiters = this.waiters.filter((w) => {
            if (this.total >= w.count) w.resolve();
            return this.total < w.count;
          });
          callback();
        });
      },
    });
  }

  async start(): Promise<this> {
    // A client killed mid-message resets its connection: expected here, not an error of the test.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}?tls=off`;
  }

  /** Resolves once `count` messages in all were accepted. */
  waitFor(count: number, timeoutMs = 60_000): Promise<void> {
    if (this.total >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`SMTP: ${this.total}/${count} message(s)`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
