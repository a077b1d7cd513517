// The real collector for a benchmark: `jdma serve` from dist/, in a process of its own, on a free
// port of 127.0.0.1, so that the bench's clients and the collector do not share an event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `jdma serve <args>` with `env` on `port`, and resolves once /healthz answers (20 s at most). */
export async function startCollector(port: number, env: Record<string, string | undefined>, args: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['dist/cli.js', 'serve', ...args], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {}
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error('the collector did not start');
}
