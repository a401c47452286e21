import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
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
import { APP_CONFIG, type AppConfig, issuesText, MetricsService, unavailableService } from '@cityops/core';
import { AuthService, type Principal, UnauthorizedError } from '@cityops/identity';

/** What the handshake learnt about the client, kept on the socket for its lifetime. */
interface LiveSocketData {
  principal?: Principal;
  /** The access token of the handshake: its session is checked again while the socket lives. */
  token?: string;
}

type LiveSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, LiveSocketData>;

/**
 * The live channel of wall screens, maps and case lists. Clients authenticate in the handshake
 * and pick rooms with `subscribe`; events arrive from any process through the Redis adapter.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, cors: { origin: false } })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger(LiveGateway.name);
  private readonly expiryTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private sessionCheck: ReturnType<typeof setInterval> | undefined;
  private namespace: Namespace | undefined;

  constructor(
    private readonly auth: AuthService,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Authenticates in the handshake, so an unauthenticated client is never connected at all. */
  afterInit(namespace: Namespace): void {
    this.namespace = namespace;
    // A socket lives longer than the token it connected with: its session is checked again as
    // often as a request's would be, so a sign-out, a disabled user or a revoked display ends it.
    this.sessionCheck = setInterval(() => void this.checkSessions(), this.config.sessions.checkSeconds * 1000);
    this.sessionCheck.unref();
    namespace.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string' || token.length === 0) return next(new Error('unauthorized: missing token'));
      this.auth
        .authenticate(token)
        .then((principal) => {
          if (principal.kind === 'feed') return next(new Error('forbidden: feed keys cannot listen'));
          if (principal.mustChangePassword) return next(new Error('forbidden: change the password first'));
          (socket as LiveSocket).data.principal = principal;
          (socket as LiveSocket).data.token = token;
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
    if (!client.data.principal) return;
    this.metrics.socketClients.inc();
    // The client renews its token and reconnects when told the old one ran out.
    const expiry = client.data.token ? this.auth.tokenExpiry(client.data.token) : null;
    if (expiry !== null) {
      const timer = setTimeout(() => this.end(client, 'the access token has expired'), Math.max(0, expiry * 1000 - Date.now()));
      timer.unref();
      this.expiryTimers.set(client.id, timer);
    }
  }

  handleDisconnect(client: LiveSocket): void {
    clearTimeout(this.expiryTimers.get(client.id));
    this.expiryTimers.delete(client.id);
    if (client.data.principal) this.metrics.socketClients.dec();
  }

  onModuleDestroy(): void {
    clearInterval(this.sessionCheck);
    for (const timer of this.expiryTimers.values()) clearTimeout(timer);
  }

  /** Ends sockets whose session ended; keeps the principal of the others current (roles, scope). */
  private async checkSessions(): Promise<void> {
    const sockets = this.namespace ? [...this.namespace.sockets.values()] : [];
    for (const socket of sockets as LiveSocket[]) {
      const token = socket.data.token;
      if (!token || !socket.connected) continue;
      try {
        socket.data.principal = await this.auth.authenticate(token);
      } catch (err) {
        if (unavailableService(err)) return; // the database is away: nobody is ended for that
        this.end(socket, err instanceof UnauthorizedError ? err.message : 'the session could not be checked');
      }
    }
  }

  /** Tells the client why (it renews its token on a 401) and closes the socket. */
  private end(socket: LiveSocket, why: string): void {
    if (!socket.connected) return;
    this.logger.debug({ socket: socket.id, why }, 'live socket ended');
    socket.emit('error', { type: 'urn:cityops:problem:unauthorized', title: 'Unauthorized', status: 401, detail: why });
    socket.disconnect(true);
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
