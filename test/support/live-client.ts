import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, type SubscribeAck } from '@cityops/contracts';
import { eventually } from './eventually';

/** A real socket.io client on /live, subscribed to `channels`, recording every event. */
export async function connectLive(
  url: string,
  token: string,
  channels: string[],
): Promise<{ socket: Socket; events: { event: string; payload: unknown; at: number }[]; ack: SubscribeAck }> {
  const socket = io(`${url}${LIVE_NAMESPACE}`, { auth: { token }, transports: ['websocket'], reconnection: false });
  const events: { event: string; payload: unknown; at: number }[] = [];
  socket.onAny((event: string, payload: unknown) => events.push({ event, payload, at: Date.now() }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = (await socket.timeout(5000).emitWithAck('subscribe', { channels })) as SubscribeAck;
  return { socket, events, ack };
}

/** Socket events arrive in memory: checked often. */
export const waitFor = <T>(probe: () => T | undefined | null | false, timeoutMs = 10000, what = 'condition'): Promise<T> =>
  eventually(probe, timeoutMs, what, 25);
