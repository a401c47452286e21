import { io, type Socket } from 'socket.io-client';
import {
  ClientEvents,
  LIVE_NAMESPACE,
  type ProblemDetails,
  type ServerToClientEvents,
  type SubscribeAck,
  type SubscribeMessage,
} from '@cityops/contracts';

interface ClientToServerEvents {
  subscribe: (message: SubscribeMessage, ack: (answer: SubscribeAck) => void) => void;
  unsubscribe: (message: SubscribeMessage, ack: (answer: SubscribeAck) => void) => void;
}

export type LiveStatus = 'connecting' | 'connected' | 'disconnected';

export interface LiveClientOptions {
  /** Channels to subscribe to after every (re)connect. */
  channels: string[];
  /** Current access token (read on every handshake, so renewed tokens are used on reconnect). */
  getToken: () => string | null;
  /**
   * Renews the access token; resolves true when a new one is there. `certain` is true when the
   * server said the token was refused, false when a quick disconnect only suggests it.
   */
  renewToken: (certain: boolean) => Promise<boolean>;
}

/**
 * Server events this client handles. The health job sends `feed.health` to the `feeds` channel
 * (`ServerEvents.feedHealth`), but the contracts' `ServerToClientEvents` does not list it yet.
 */
export type LiveServerEvents = ServerToClientEvents;

/**
 * The gateway also sends `error` with problem details (e.g. 401) right before it disconnects a
 * socket whose token it refuses. Not (yet) in the contracts' `ServerToClientEvents`.
 */
interface ListenEvents extends LiveServerEvents {
  error: (problem: Partial<ProblemDetails>) => void;
}

type LiveSocket = Socket<ListenEvents, ClientToServerEvents>;
type ServerEventName = keyof LiveServerEvents;

const AUTH_ERROR = /auth|token|jwt|expired|unauthori[sz]ed|forbidden|401|403/i;
const SUBSCRIBE_TIMEOUT_MS = 10_000;
/** A server disconnect this soon after connecting is taken as a refused token. */
const REFUSED_WITHIN_MS = 5_000;

/**
 * One socket.io connection to the `/live` namespace.
 *
 * socket.io reconnects by itself after network failures. When the server *refuses* the
 * handshake (middleware error, e.g. an expired token) or disconnects us, it does not: this class
 * then renews the token and reconnects, with a growing delay.
 */
export class LiveClient {
  private readonly socket: LiveSocket;
  private readonly options: LiveClientOptions;
  private currentStatus: LiveStatus = 'connecting';
  private readonly statusListeners = new Set<() => void>();
  private readonly connectListeners = new Set<() => void>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private refusals = 0;
  private connectedAt = 0;
  /** The server said (event `error`, 401/403) that it refuses our token. */
  private tokenRefused = false;
  private stopped = false;

  constructor(options: LiveClientOptions) {
    this.options = options;
    this.socket = io(LIVE_NAMESPACE, {
      auth: (cb) => cb({ token: options.getToken() ?? '' }),
      transports: ['websocket'],
      autoConnect: false,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 10_000,
    });

    this.socket.on('connect', () => {
      this.connectedAt = Date.now();
      this.tokenRefused = false;
      this.setStatus('connected');
      this.subscribe();
      for (const listener of this.connectListeners) listener();
    });

    this.socket.on('error', (problem) => {
      if (problem?.status === 401 || problem?.status === 403) this.tokenRefused = true;
      else console.warn('[live] server error', problem?.title ?? problem);
    });

    this.socket.on('disconnect', (reason) => {
      this.setStatus('disconnected');
      if (reason !== 'io server disconnect') return; // socket.io reconnects by itself
      // The server closed the socket and socket.io will not come back by itself. That is how the
      // gateway refuses a token (after an `error` event); a disconnect right after the handshake
      // suggests the same.
      if (this.tokenRefused) this.renewThenRetry(true);
      else if (Date.now() - this.connectedAt < REFUSED_WITHIN_MS) this.renewThenRetry(false);
      else this.retryLater();
    });

    this.socket.on('connect_error', (error) => {
      this.setStatus('disconnected');
      if (this.socket.active) return; // transient failure: socket.io retries by itself
      if (AUTH_ERROR.test(error.message)) this.renewThenRetry(true);
      else this.retryLater();
    });
  }

  get status(): LiveStatus {
    return this.currentStatus;
  }

  start(): void {
    this.stopped = false;
    this.socket.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.socket.removeAllListeners();
    this.socket.disconnect();
    this.statusListeners.clear();
    this.connectListeners.clear();
  }

  /** Listens to a server event; returns the function that stops listening. */
  on<E extends ServerEventName>(event: E, handler: LiveServerEvents[E]): () => void {
    // socket.io's typed `on` cannot narrow a generic event name; the pair is checked by the signature above.
    const untyped = this.socket as unknown as Socket;
    const name: string = event;
    const listener = handler as Parameters<Socket['on']>[1];
    untyped.on(name, listener);
    return () => {
      untyped.off(name, listener);
    };
  }

  /**
   * Adds channels to the subscription, now when connected and after every reconnect (for data
   * whose channels are known only once a first answer came, e.g. the vital signs' indicators).
   */
  addChannels(channels: readonly string[]): void {
    const fresh = channels.filter((c) => !this.options.channels.includes(c));
    if (fresh.length === 0) return;
    this.options.channels.push(...fresh);
    if (this.socket.connected) this.subscribe(fresh);
  }

  /** Runs `listener` after every successful (re)connect, to refetch REST snapshots. */
  onConnect(listener: () => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    for (const listener of this.statusListeners) listener();
  }

  private subscribe(channels: readonly string[] = this.options.channels): void {
    this.socket
      .timeout(SUBSCRIBE_TIMEOUT_MS)
      .emit(ClientEvents.subscribe, { channels: [...channels] }, (error: Error | null, answer?: SubscribeAck) => {
        if (!error && answer?.ok) {
          this.refusals = 0;
          return;
        }
        const reason = error?.message ?? answer?.error ?? 'no answer';
        console.warn('[live] subscribe failed', reason);
        // Reconnecting runs the subscription again; the REST snapshot covers the gap meanwhile.
        if (this.socket.connected) {
          this.socket.disconnect();
          if (AUTH_ERROR.test(reason)) this.renewThenRetry(true);
          else this.retryLater();
        }
      });
  }

  private renewThenRetry(certain: boolean): void {
    void this.options.renewToken(certain).then((renewed) => {
      // Not renewed: signed out (certain) or nothing to renew with (a guess): retry as it is.
      if (renewed || !certain) this.retryLater();
    });
  }

  private retryLater(): void {
    if (this.stopped || this.retryTimer !== undefined) return;
    const delay = Math.min(30_000, 1_000 * 2 ** this.refusals);
    this.refusals += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped && !this.socket.connected) this.socket.connect();
    }, delay);
  }
}
