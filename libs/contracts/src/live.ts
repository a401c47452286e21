import { z } from 'zod';
import { alertChangeSchema, alertViewSchema } from './alerts';
import type { CaseChangedEvent } from './cases';
import type { FeedHealthEvent } from './feeds';
import type { IndicatorValuesEvent } from './indicators';
import type { LiveLayerDelta } from './live-layers';

/** socket.io namespace every live client connects to (token in handshake `auth.token`). */
export const LIVE_NAMESPACE = '/live';

/** Events the client sends. */
export const ClientEvents = {
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
} as const;

/** Events the server sends. Each payload carries enough to redraw without a refetch. */
export const ServerEvents = {
  indicatorValues: 'indicator.values',
  alertChanged: 'alert.changed',
  caseChanged: 'case.changed',
  feedHealth: 'feed.health',
  layerDelta: 'layer.delta',
} as const;

/** Channels a client may subscribe to: `alerts`, `feeds`, `cases`, `indicator:<key>`, `area:<id>`, `layer:<feed>`. */
export const channelSchema = z
  .string()
  .max(200)
  .regex(/^(alerts|feeds|cases|indicator:[a-z0-9_.-]+|layer:[a-z0-9_.-]+|area:\d+)$/, 'unknown channel');

export const subscribeMessageSchema = z.object({
  channels: z.array(channelSchema).min(1).max(100),
});
export type SubscribeMessage = z.infer<typeof subscribeMessageSchema>;

/** Answer to `subscribe` (socket.io acknowledgement). */
export interface SubscribeAck {
  ok: boolean;
  channels: string[];
  error?: string;
}

export function indicatorChannel(key: string): string {
  return `indicator:${key}`;
}

export interface ServerToClientEvents {
  'indicator.values': (payload: IndicatorValuesEvent) => void;
  'alert.changed': (payload: AlertChangedEvent) => void;
  'feed.health': (payload: FeedHealthEvent) => void;
  'layer.delta': (payload: LiveLayerDelta) => void;
  /** On the `cases` channel: a case filed, acted upon or supervised (督办), to listeners whose areas hold its grid and to its department. */
  'case.changed': (payload: CaseChangedEvent) => void;
}

export const alertChangedEventSchema = z
  .object({ change: alertChangeSchema, alert: alertViewSchema })
  .meta({ id: 'AlertChangedEvent', description: 'Payload of the `alert.changed` socket event.' });
export type AlertChangedEvent = z.output<typeof alertChangedEventSchema>;
