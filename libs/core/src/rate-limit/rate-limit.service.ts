import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RedisService } from '../redis/redis.service';
import { RateLimitedError } from './rate-limit.exception';

/** One counter to charge: its name (parts of a Redis key) and the most it may reach in a window. */
export interface RateLimitCheck {
  bucket: readonly string[];
  /** Requests allowed per window; 0 = no limit (the counter is not even kept). */
  limit: number;
}

/** What one check decided, for each counter in order. */
export interface RateLimitVerdict {
  allowed: boolean;
  /** Seconds until the window of the fullest exceeded counter ends (0 when allowed). */
  retryAfterSeconds: number;
  counts: number[];
}

/**
 * A fixed window per counter that starts with its first request (not at a wall-clock boundary),
 * for every counter of one check in one round trip: INCR, PEXPIRE when new, PTTL. Atomic in
 * Redis, so every API process shares the counts. A key that somehow lost its expiry gets it back.
 */
const SCRIPT = `
local result = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if count == 1 or ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  result[i * 2 - 1] = count
  result[i * 2] = ttl
end
return result`;
const SCRIPT_SHA = createHash('sha1').update(SCRIPT).digest('hex');

export const RATE_LIMIT_WINDOW_SECONDS = 60;

/**
 * Request rate limits kept in Redis under the installation's prefix (`<prefix>:rate:<bucket>`),
 * so that two API processes behind one load balancer count together. A Redis that does not answer
 * makes a check fail like any other Redis command; the caller decides what that means (sign-in
 * answers 503, the write limits let the request through).
 */
@Injectable()
export class RateLimitService {
  constructor(private readonly redis: RedisService) {}

  /** Counts one request against every check; answers whether all of them are still within their limit. */
  async hit(checks: readonly RateLimitCheck[], windowSeconds = RATE_LIMIT_WINDOW_SECONDS): Promise<RateLimitVerdict> {
    const active = checks.filter((c) => c.limit > 0);
    if (!active.length) return { allowed: true, retryAfterSeconds: 0, counts: [] };
    const keys = active.map((c) => this.redis.key('rate', ...c.bucket));
    const reply = await this.run(keys, [String(windowSeconds * 1000)]);
    const counts = active.map((_, i) => reply[i * 2]);
    const exceeded = active.flatMap((c, i) => (counts[i] > c.limit ? [reply[i * 2 + 1]] : []));
    if (!exceeded.length) return { allowed: true, retryAfterSeconds: 0, counts };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...exceeded) / 1000)), counts };
  }

  /** `hit`, throwing a 429 problem (`Retry-After`) that names `what` was limited when a limit is passed. */
  async consume(what: string, checks: readonly RateLimitCheck[], windowSeconds = RATE_LIMIT_WINDOW_SECONDS): Promise<void> {
    const verdict = await this.hit(checks, windowSeconds);
    if (!verdict.allowed) throw new RateLimitedError(what, verdict.retryAfterSeconds);
  }

  /** EVALSHA, and EVAL when Redis does not know the script (first use, or after a restart: it keeps nothing). */
  private async run(keys: string[], args: string[]): Promise<number[]> {
    const client = this.redis.client;
    try {
      return (await client.evalsha(SCRIPT_SHA, keys.length, ...keys, ...args)) as number[];
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await client.eval(SCRIPT, keys.length, ...keys, ...args)) as number[];
    }
  }
}
