import { readMemory, repoRoot, spawnTracked, stopProcess, waitForStatus } from './processes.js';
import path from 'node:path';

export interface HelloWorld {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  pid: number;
  memory(): { rssBytes: number; peakRssBytes: number } | null;
  stop(): Promise<void>;
}

/**
 * Starts the bare Fastify hello-world (`GET /` → 'hello world') on 127.0.0.1:0 in its own process,
 * launched exactly like the app (`node --import tsx`, NODE_ENV=production), so that the load
 * generator never shares an event loop with either server and the ratio compares like with like.
 */
export async function startHelloWorld(): Promise<HelloWorld> {
  const tracked = spawnTracked(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'bench/lib/hello-world-server.ts')],
    { env: { ...process.env, NODE_ENV: 'production' } },
  );
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let buffered = '';
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const match = /\{"port":(\d+)\}/.exec(buffered);
        if (match) {
          tracked.child.stdout?.off('data', onData);
          resolve(Number(match[1]));
        }
      };
      tracked.child.stdout?.on('data', onData);
      void tracked.exited.then((code) => reject(new Error(`hello-world exited with ${code}:\n${tracked.output()}`)));
    });
    const url = `http://127.0.0.1:${port}`;
    await waitForStatus(`${url}/`, tracked);
    return { url, pid: tracked.pid, memory: () => readMemory(tracked.pid), stop: () => stopProcess(tracked) };
  } catch (error) {
    await stopProcess(tracked);
    throw error;
  }
}
