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
import {
  APP_CONFIG,
  type AppConfig,
  issuesText,
  MetricsService,
  SCOPED_LIVE_EVENT,
  type ScopedLiveEvent,
  unavailableService,
} from '@cityops/core';
import { AreaDirectory } from '@cityops/geo';
import { AuthService, type Principal, UnauthorizedError } from '@cityops/identity';
import { areaChannelId, roomsFor, scopedListenerKey, scopedPayload } from './live-scope';

/** What the handshake learnt about the client, kept on the socket for its lifetime. */
interface LiveSocketData {
  principal?: Principal;
  /** The access token of the handshake: its session is checked again while the socket lives. */
  token?: string;
  /** The channels the client subscribed to and was admitted to, as it named them. */
  channels?: Set<string>;
}

type LiveSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, LiveSocketData>;

/**
 * The live channel of wall screens, maps and case lists. Clients authenticate in the handshake
 * and pick channels with `subscribe`; events arrive from any process through the Redis adapter.
 *
 * Area scope: a city-wide client sits in the socket.io room of each of its channels. A scoped
 * client may subscribe to `area:<id>` only for an area of its scope (else the acknowledgement
 * says no, naming the channel) and sits in those rooms only; what it hears on `alerts`,
 * `indicator:<key>` and `feeds` it is handed here, cut to its scope, from the scoped events every
 * publisher also sends to each API process (`LivePublisher.publishScoped`). When the principal is
 * read again (every SESSION_CHECK_SECONDS) its rooms follow its scope.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, cors: { origin: false } })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger(LiveGateway.name);
  private readonly expiryTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private sessionCheck: ReturnType<typeof setInterval> | undefined;
  private namespace: Namespace | undefined;
  /** Scoped events are handed on one after the other, in the order they came. */
  private scopedDeliveries: Promise<void> = Promise.resolve();

  constructor(
    private readonly auth: AuthService,
    private readonly areas: AreaDirectory,
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
    namespace.on(SCOPED_LIVE_EVENT, (event: ScopedLiveEvent) => {
      this.scopedDeliveries = this.scopedDeliveries
        .then(() => this.deliverScoped(event))
        .catch((err: unknown) => this.logger.error({ err, channel: event.channel }, 'scoped live event failed'));
    });
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
        // A scope that shrank takes the socket out of the rooms it may no longer hear.
        await this.syncRooms(socket);
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

  /**
   * Joins the channels asked for. A scoped client's `area:<id>` outside its scope is refused: the
   * others are joined, and the answer says `ok: false` and which were refused.
   */
  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() client: LiveSocket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    const principal = client.data.principal;
    if (!principal) return { ok: false, channels: [], error: 'not authenticated' };
    const parsed = subscribeMessageSchema.safeParse(body);
    if (!parsed.success) {
      return { ok: false, channels: [], error: issuesText(parsed.error.issues, 'message') };
    }
    try {
      const areas = principal.scope.cityWide ? null : await this.areas.scopeAreaIds(principal.scope.roots);
      const refused = parsed.data.channels.filter((channel) => {
        const id = areaChannelId(channel);
        return areas !== null && id !== null && !areas.has(id);
      });
      const admitted = parsed.data.channels.filter((channel) => !refused.includes(channel));
      client.data.channels = new Set([...(client.data.channels ?? []), ...admitted]);
      await this.syncRooms(client);
      return refused.length
        ? { ok: false, channels: admitted, error: `outside the caller's area scope: ${refused.join(', ')}` }
        : { ok: true, channels: admitted };
    } catch (err) {
      if (unavailableService(err)) return { ok: false, channels: [], error: 'unavailable: try again shortly' };
      throw err;
    }
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribe(@ConnectedSocket() client: LiveSocket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    const parsed = subscribeMessageSchema.safeParse(body);
    if (!parsed.success) return { ok: false, channels: [], error: 'invalid channels' };
    for (const channel of parsed.data.channels) {
      client.data.channels?.delete(channel);
      await client.leave(channel);
    }
    return { ok: true, channels: parsed.data.channels };
  }

  /** Puts the socket in exactly the rooms its channels and its current scope call for. */
  private async syncRooms(socket: LiveSocket): Promise<void> {
    const principal = socket.data.principal;
    if (!principal || !socket.connected) return;
    const areas = principal.scope.cityWide ? null : await this.areas.scopeAreaIds(principal.scope.roots);
    const rooms = new Set(roomsFor(socket.data.channels ?? new Set(), areas));
    for (const room of [...socket.rooms]) if (room !== socket.id && !rooms.has(room)) await socket.leave(room);
    if (rooms.size) await socket.join([...rooms]);
  }

  /** Hands a scoped event to this process's scoped sockets on its channel, each the part its scope sees. */
  private async deliverScoped(event: ScopedLiveEvent): Promise<void> {
    const listeners = new Map<string, { principal: Principal; sockets: LiveSocket[] }>();
    for (const socket of (this.namespace ? this.namespace.sockets.values() : []) as Iterable<LiveSocket>) {
      const principal = socket.data.principal;
      if (!principal || principal.scope.cityWide || !socket.connected || !socket.data.channels?.has(event.channel)) continue;
      const key = scopedListenerKey(principal);
      const group = listeners.get(key) ?? { principal, sockets: [] };
      group.sockets.push(socket);
      listeners.set(key, group);
    }
    for (const { principal, sockets } of listeners.values()) {
      if (principal.scope.cityWide) continue;
      try {
        const payload = scopedPayload(event, await this.areas.scopeAreaIds(principal.scope.roots), principal.department);
        if (payload === undefined) continue;
        for (const socket of sockets) socket.emit(event.event, payload);
      } catch (err) {
        // The database is away (the scope's areas could not be read): the event is lost for these
        // sockets, as live events are while a service is away; they fetch a snapshot on reconnect.
        this.logger.warn({ err, channel: event.channel }, 'scoped live event not delivered');
      }
    }
  }
}
