import { createHmac } from 'node:crypto';

/**
 * The secret of the simulator's key for one demo feed: HMAC-SHA256 of the feed key under
 * SIMULATOR_TOKEN. A feed key pushes only to its own feed, so each demo feed has its own; deriving
 * them lets `cli.js prepare` and the simulator agree on every one from the single token they share.
 */
export function demoFeedSecret(simulatorToken: string, feedKey: string): string {
  return createHmac('sha256', simulatorToken).update(feedKey).digest('hex');
}
