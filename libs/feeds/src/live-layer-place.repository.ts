import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RedisService } from '@cityops/core';

/** Where a sensor of a reading feed's live layer was last published: its newest located reading's time and area. */
export interface PublishedPlace {
  entity: string;
  /** Epoch ms of the reading. */
  ts: number;
  areaId: number | null;
}

/** A sensor whose newest published reading fell out of the layer's window, and the area it was in. */
export interface AgedPlace {
  entity: string;
  areaId: number | null;
}

/**
 * Per feed, a hash entity → area of its newest published reading and a sorted set of the
 * entities by that reading's time, changed together in one script so that two processes
 * publishing the same feed do not interleave. For each place given: the area it replaces (''
 * when none was held, or when the held reading is newer and so stands). Then the entities whose
 * reading is older than ARGV[1] leave both, and come back as entity, area pairs.
 * ARGV: oldest time kept (ms), expiry (ms), then entity, time (ms), area ('' for none) per place.
 */
const SCRIPT = `
local previous = {}
for i = 3, #ARGV, 3 do
  local entity, ts, area = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2]
  local held = redis.call('ZSCORE', KEYS[2], entity)
  if held and tonumber(held) > ts then
    previous[#previous + 1] = ''
  else
    previous[#previous + 1] = redis.call('HGET', KEYS[1], entity) or ''
    redis.call('HSET', KEYS[1], entity, area)
    redis.call('ZADD', KEYS[2], ts, entity)
  end
end
local aged = {}
for _, entity in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1])) do
  aged[#aged + 1] = entity
  aged[#aged + 1] = redis.call('HGET', KEYS[1], entity) or ''
  redis.call('HDEL', KEYS[1], entity)
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return {previous, aged}`;
const SCRIPT_SHA = createHash('sha1').update(SCRIPT).digest('hex');

const areaOf = (held: string): number | null => (held === '' ? null : Number(held));

/**
 * The places a reading feed's live layer last published for its sensors, in Redis so that every
 * process that ingests the feed (API, worker) shares them: the delta of a sensor that moved can
 * then reach the listeners of the area it left, and a sensor whose readings aged out of the
 * layer's window can be taken off. Only places that were published are held, so an area read
 * here is one whose listeners already heard of the sensor. Kept for the layer's window after the
 * feed's last publish.
 */
@Injectable()
export class LiveLayerPlaceRepository {
  constructor(private readonly redis: RedisService) {}

  /**
   * Holds the places just published; answers, in their order, the area each replaced (null when
   * none was held or a newer one stands), and the sensors whose newest reading is older than `since`.
   */
  async swap(
    feedKey: string,
    places: readonly PublishedPlace[],
    since: number,
    keepMs: number,
  ): Promise<{ previous: (number | null)[]; aged: AgedPlace[] }> {
    const keys = [this.redis.key('live-layer', 'areas', feedKey), this.redis.key('live-layer', 'times', feedKey)];
    const args = [
      String(since),
      String(keepMs),
      ...places.flatMap((p) => [p.entity, String(p.ts), p.areaId === null ? '' : String(p.areaId)]),
    ];
    const [previous, aged] = await this.run(keys, args);
    const gone: AgedPlace[] = [];
    for (let i = 0; i < aged.length; i += 2) gone.push({ entity: aged[i], areaId: areaOf(aged[i + 1]) });
    return { previous: previous.map(areaOf), aged: gone };
  }

  /** EVALSHA, and EVAL when Redis does not know the script (first use, or after a restart: it keeps nothing). */
  private async run(keys: string[], args: string[]): Promise<[string[], string[]]> {
    const client = this.redis.client;
    try {
      return (await client.evalsha(SCRIPT_SHA, keys.length, ...keys, ...args)) as [string[], string[]];
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await client.eval(SCRIPT, keys.length, ...keys, ...args)) as [string[], string[]];
    }
  }
}
