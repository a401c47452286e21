import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '../../../../test/support/eventually';
import { startSimulator, type SimulatorLogger } from './simulator.loop';

interface Received {
  url: string;
  authorization: string | undefined;
  body: { records: { id: string; entity: string; value: number; ts: string }[] };
}

function recordingLogger() {
  const lines: { level: string; fields: object; message: string }[] = [];
  const at =
    (level: string) =>
    (fields: object, message: string): void => {
      lines.push({ level, fields, message });
    };
  const logger: SimulatorLogger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const until = (condition: () => boolean, what: string): Promise<boolean> => eventually(condition, 10_000, what, 20);

describe('startSimulator', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('posts 21 headcounts per tick with the bearer token', async () => {
    const received: Received[] = [];
    const listening = await listen((req, res, body) => {
      received.push({ url: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(body) as Received['body'] });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ accepted: 21, duplicates: 0, rejected: 0, errors: [] }));
    });
    server = listening.server;
    const { logger, lines } = recordingLogger();
    const sim = startSimulator({ apiUrl: `${listening.url}/`, token: 'sim-token-0123456789', intervalMs: 200, runners: 2000, logger });
    await until(() => received.length >= 3, 'three posts');
    await sim.stop();
    const first = received[0];
    expect(first.url).toBe('/api/feeds/marathon-crowd/records');
    expect(first.authorization).toBe('Bearer sim-token-0123456789');
    expect(first.body.records).toHaveLength(21);
    expect(first.body.records[0].entity).toBe('GZM-01');
    expect(first.body.records[0].ts).toMatch(/\+08:00$/);
    expect(new Set(received.flatMap((r) => r.body.records.map((x) => x.id))).size).toBe(received.length * 21);
    expect(lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
  });

  it('says clearly when the token does not match, and keeps going', async () => {
    let posts = 0;
    const listening = await listen((_req, res) => {
      posts++;
      res.writeHead(401, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Unauthorized' }));
    });
    server = listening.server;
    const { logger, lines } = recordingLogger();
    const sim = startSimulator({ apiUrl: listening.url, token: 'wrong-token-0123456789', intervalMs: 200, runners: 2000, logger });
    await until(() => posts >= 3, 'three refused posts');
    await sim.stop();
    const errors = lines.filter((l) => l.level === 'error');
    // Logged once, not on every tick.
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('SIMULATOR_TOKEN does not match');
    expect(errors[0].fields).toMatchObject({ status: 401 });
    expect(JSON.stringify(lines)).not.toContain('wrong-token');
  });

  it('waits quietly for the API, saying so once, and says when it is up', async () => {
    const { logger, lines } = recordingLogger();
    // Nothing listens on this port yet.
    const probe = await listen((_req, res) => res.end());
    const port = (probe.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.server.close(() => resolve()));
    const sim = startSimulator({ apiUrl: probe.url, token: 'sim-token-0123456789', intervalMs: 200, runners: 2000, logger });
    // Every attempt after the first leaves a debug line: three attempts have found nobody.
    await until(() => lines.filter((l) => l.message === 'API not up yet').length >= 2, 'three unanswered attempts');
    expect(lines.filter((l) => l.level === 'info').map((l) => l.message)).toEqual(['waiting for the API to come up']);
    expect(lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);

    // The API comes up on that port.
    const api = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ accepted: 21, duplicates: 0, rejected: 0, errors: [] }));
    });
    server = api;
    await new Promise<void>((resolve) => api.listen(port, '127.0.0.1', resolve));
    await until(() => lines.some((l) => l.message === 'API is up; posting headcounts'), 'the API to be seen');
    await sim.stop();
    expect(lines.filter((l) => l.level === 'info').map((l) => l.message)).toEqual([
      'waiting for the API to come up',
      'API is up; posting headcounts',
    ]);
    expect(lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
  });

  it('logs the status and answer of a failed post', async () => {
    const listening = await listen((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('database is down');
    });
    server = listening.server;
    const { logger, lines } = recordingLogger();
    const sim = startSimulator({ apiUrl: listening.url, token: 'sim-token-0123456789', intervalMs: 200, runners: 2000, logger });
    await until(() => lines.some((l) => l.level === 'warn'), 'the warning');
    await sim.stop();
    expect(lines.find((l) => l.level === 'warn')?.fields).toMatchObject({ status: 503, body: 'database is down' });
  });
});
