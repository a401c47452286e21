import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, type SubscribeAck } from '@cityops/contracts';

/**
 * What the benchmarks time alerts against: a display signed in with the kiosk token, its socket
 * subscribed to `alerts` as the wall's is, and the marathon's segments (code and capacity).
 */
export async function connectWall(
  url: string,
  kioskToken: string,
): Promise<{ socket: Socket; accessToken: string; segments: { code: string; capacity: number }[] }> {
  const { accessToken } = (await (
    await fetch(`${url}/api/auth/kiosk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: kioskToken }),
    })
  ).json()) as { accessToken: string };
  const socket = io(`${url}${LIVE_NAMESPACE}`, { auth: { token: accessToken }, transports: ['websocket'] });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const ack = (await socket.emitWithAck('subscribe', { channels: ['alerts'] })) as SubscribeAck;
  if (!ack.ok) throw new Error(`subscribe refused: ${ack.error}`);
  const segments = (await (
    await fetch(`${url}/api/areas?zoneSet=gz-marathon`, { headers: { authorization: `Bearer ${accessToken}` } })
  ).json()) as { code: string; capacity: number }[];
  return { socket, accessToken, segments };
}
