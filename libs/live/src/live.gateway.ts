import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { DefaultEventsMap, Namespace, Socket } from 'socket.io';
import { LIVE_NAMESPACE, subscribeMessageSchema, type SubscribeAck } from '@cityops/contracts';
import { issuesText, MetricsService, unavailableService } from '@cityops/core';
import { AuthService, type Principal } from '@cityops/identity';

/** What the handshake learnt about the client, kept on the socket for its lifetime. */
interface LiveSocketData {
  principal?: Principal;
}

type LiveSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, LiveSocketData>;

/**
 * The live channel of wall screens, maps and case lists. Clients authenticate in the handshake
 * and pick rooms with `subscribe`; events arrive from any process through the Redis adapter.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, cors: { origin: false } })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  constructor(
    private readonly auth: AuthService,
    private readonly metrics: MetricsService,
  ) {}

  /** Authenticates in the handshake, so an unauthenticated client is never connected at all. */
  afterInit(namespace: Namespace): void {
    namespace.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string' || token.length === 0) return next(new Error('unauthorized: missing token'));
      this.auth
        .authenticate(token)
        .then((principal) => {
          if (principal.kind === 'feed') return next(new Error('forbidden: feed tokens cannot listen'));
          (socket as LiveSocket).data.principal = principal;
          next();
        })
        // A database outage is not the client's fault: it should come back later with the same token
        // (the web client retries on this message and renews its token on an auth error).
        .catch((err: unknown) =>
          next(new Error(unavailableService(err) ? 'unavailable: try again shortly' : 'unauthorized: invalid or expired token')),
        );
    });
  }

  handleConnection(client: LiveSocket): void {
    if (client.data.principal) this.metrics.socketClients.inc();
  }

  handleDisconnect(client: LiveSocket): void {
    if (client.data.principal) this.metrics.socketClients.dec();
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() client: LiveSocket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    if (!client.data.principal) return { ok: false, channels: [], error: 'not authenticated' };
    const parsed = subscribeMessageSchema.safeParse(body);
    if (!parsed.success) {
      return { ok: false, channels: [], error: issuesText(parsed.error.issues, 'message') };
    }
    await client.join(parsed.data.channels);
    return { ok: true, channels: parsed.data.channels };
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribe(@ConnectedSocket() client: LiveSocket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    const parsed = subscribeMessageSchema.safeParse(body);
    if (!parsed.success) return { ok: false, channels: [], error: 'invalid channels' };
    for (const channel of parsed.data.channels) await client.leave(channel);
    return { ok: true, channels: parsed.data.channels };
  }
}
