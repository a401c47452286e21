import { LIVE_NAMESPACE, type SubscribeAck } from '@cityops/contracts';
import { io, type Socket } from 'socket.io-client';

/** A real socket.io client on /live, subscribed to `channels`, recording every event. */
export async function connectLive(url: string, token: string, channels: string[]): Promise<{ socket: Socket; events: { event: string; payload: unknown; at: number }[]; ack: SubscribeAck }> {
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

export async function waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 10000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
