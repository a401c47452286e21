import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { initLogger, PinoNestLogger } from './logger';

/** Lines the root logger wrote, parsed. */
function capture(): { lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  initLogger('trace', 'test', sink);
  return { lines };
}

describe('PinoNestLogger', () => {
  const nest = new PinoNestLogger();

  it.each([
    [
      'our style: fields first, then the message',
      () => nest.warn({ feed: 'f' }, 'records rejected', 'IngestService'),
      { level: 40, feed: 'f', msg: 'records rejected', context: 'IngestService' },
    ],
    [
      'a plain message with its context',
      () => nest.log('workers started', 'JobRunner'),
      { level: 30, msg: 'workers started', context: 'JobRunner' },
    ],
    [
      'Nest start-up chatter goes to debug',
      () => nest.log('AppModule dependencies initialized', 'InstanceLoader'),
      { level: 20, context: 'InstanceLoader' },
    ],
    [
      "Nest's own error: message, stack, context",
      () => nest.error('boom', 'Error: boom\n    at f (x.js:1:1)', 'ExceptionsHandler'),
      { level: 50, msg: 'boom', stack: 'Error: boom\n    at f (x.js:1:1)', context: 'ExceptionsHandler' },
    ],
    [
      'an Error object keeps its message and becomes err',
      () => nest.error(new Error('bad'), 'Worker'),
      { level: 50, msg: 'bad', context: 'Worker' },
    ],
  ] as const)('%s', (_name, write, expected) => {
    const { lines } = capture();
    write();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject(expected);
  });

  it("reaches pino through Nest's own Logger, message text included", () => {
    const { lines } = capture();
    Logger.overrideLogger(nest);
    new Logger('AlertService').warn({ alertId: 'a1' }, 'alert changed');
    expect(lines[0]).toMatchObject({ level: 40, alertId: 'a1', msg: 'alert changed', context: 'AlertService' });
  });
});
