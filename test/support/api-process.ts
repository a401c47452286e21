import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './eventually';
import { freePort } from './free-port';

const API_MAIN = join(__dirname, '../../dist/apps/api/src/main.js');

/**
 * The built API as a process of its own (on `port`, or a free one), as a deployment runs several
 * behind a load balancer, or as a test kills and starts again.
 */
export async function startApiProcess(
  env: NodeJS.ProcessEnv,
  port?: number,
): Promise<{ url: string; child: ChildProcess; stop: () => void }> {
  if (!existsSync(API_MAIN)) throw new Error('dist is missing: run `npm run build:server` (npm test does)');
  port ??= await freePort();
  const child = spawn(process.execPath, [API_MAIN], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`the API process exited with ${child.exitCode}:\n${log}`);
      return (await fetch(`${url}/api/health`).catch(() => null))?.status === 200;
    },
    30_000,
    'the API process to answer /api/health',
    200,
  );
  return { url, child, stop: () => void child.kill('SIGKILL') };
}
