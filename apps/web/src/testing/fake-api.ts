/** A request the code under test sent; the test answers it when it wants to (or never). */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Headers;
  readonly body: unknown;
  /** Aborted by the caller (its signal fired) before an answer. */
  readonly aborted: boolean;
  readonly answered: boolean;
  /** Answers with JSON (problem+json for a status of 400 and above). */
  reply(status: number, body?: unknown): void;
  /** The network failed: `fetch` rejects, as a browser's does, with a TypeError. */
  failNetwork(message?: string): void;
}

/**
 * The API as the browser's `fetch` sees it, for the web app's unit tests: every request is
 * recorded and stays pending until the test answers it, so a test decides the order in which
 * answers arrive (an old snapshot after a newer event, a slow load overtaken by the next).
 * The browser's network is not one of our services: the integration and e2e tiers use the real API.
 */
export class FakeApi {
  readonly requests: FakeRequest[] = [];
  private original: typeof fetch | undefined;

  install(): this {
    this.original = globalThis.fetch;
    globalThis.fetch = (input, init) => this.fetch(input, init);
    return this;
  }

  uninstall(): void {
    if (this.original) globalThis.fetch = this.original;
  }

  /** Requests to `path` (without the query) that are neither answered nor aborted. */
  pending(path: string): FakeRequest[] {
    return this.requests.filter((r) => r.path === path && !r.answered && !r.aborted);
  }

  /** The one pending request to `path`; throws when there is none or more than one. */
  only(path: string): FakeRequest {
    const open = this.pending(path);
    if (open.length !== 1) {
      const seen = this.requests.map((r) => `${r.method} ${r.path}${r.answered ? ' (answered)' : r.aborted ? ' (aborted)' : ''}`);
      throw new Error(`expected one pending request to ${path}, found ${open.length}; requests: ${seen.join(', ') || 'none'}`);
    }
    return open[0];
  }

  /** How many requests were sent to `path`, whatever became of them. */
  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  private fetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(input instanceof Request ? input.url : String(input), window.location.href);
    return new Promise<Response>((resolve, reject) => {
      let answered = false;
      let aborted = false;
      const signal = init.signal;
      const request: FakeRequest = {
        method: init.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: new Headers(init.headers),
        body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
        get aborted() {
          return aborted;
        },
        get answered() {
          return answered;
        },
        reply(status, body) {
          if (answered || aborted) throw new Error(`${request.method} ${request.path} was already ${aborted ? 'aborted' : 'answered'}`);
          answered = true;
          const type = status >= 400 ? 'application/problem+json' : 'application/json';
          const text = body === undefined ? null : JSON.stringify(body);
          resolve(new Response(status === 204 ? null : text, { status, headers: { 'content-type': type } }));
        },
        failNetwork(message = 'Failed to fetch') {
          answered = true;
          reject(new TypeError(message));
        },
      };
      this.requests.push(request);
      const abort = () => {
        if (answered) return;
        aborted = true;
        reject(new DOMException('The operation was aborted.', 'AbortError'));
      };
      if (signal?.aborted) abort();
      else signal?.addEventListener('abort', abort, { once: true });
    });
  }
}
