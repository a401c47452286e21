import type { LiveClient, LiveServerEvents, LiveStatus } from '../live/socket';

type EventName = keyof LiveServerEvents;
type Payload<E extends EventName> = Parameters<LiveServerEvents[E]>[0];

/**
 * What the data hooks use of a {@link LiveClient}, driven by the test: the socket connects,
 * drops and reconnects when the test says so, and server events arrive when it emits them.
 * (The socket itself is socket.io's business; the hooks' behaviour on top of it is tested here.)
 */
export class FakeLiveClient {
  status: LiveStatus = 'connecting';
  private readonly handlers = new Map<EventName, Set<(payload: never) => void>>();
  private readonly connectListeners = new Set<() => void>();
  private readonly statusListeners = new Set<() => void>();

  /** Typed as the real client for the hooks; the class has private fields, so only a cast gets there. */
  get client(): LiveClient {
    return this as unknown as LiveClient;
  }

  on<E extends EventName>(event: E, handler: LiveServerEvents[E]): () => void {
    const set = this.handlers.get(event) ?? new Set();
    this.handlers.set(event, set);
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Channels added after the client was made (`addChannels`), in order. */
  readonly addedChannels: string[] = [];

  addChannels(channels: readonly string[]): void {
    for (const channel of channels) if (!this.addedChannels.includes(channel)) this.addedChannels.push(channel);
  }

  onConnect(listener: () => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** The socket (re)connected: listeners run as after socket.io's `connect`. */
  connect(): void {
    this.setStatus('connected');
    for (const listener of [...this.connectListeners]) listener();
  }

  /** The connection dropped (server gone, network cut). */
  drop(): void {
    this.setStatus('disconnected');
  }

  /** A server event on the socket. */
  emit<E extends EventName>(event: E, payload: Payload<E>): void {
    for (const handler of [...(this.handlers.get(event) ?? [])]) (handler as (p: Payload<E>) => void)(payload);
  }

  /** How many listeners are attached (event handlers and connect listeners): zero after every hook let go. */
  get listenerCount(): number {
    let n = this.connectListeners.size + this.statusListeners.size;
    for (const set of this.handlers.values()) n += set.size;
    return n;
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const listener of [...this.statusListeners]) listener();
  }
}
