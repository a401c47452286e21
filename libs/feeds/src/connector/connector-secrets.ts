import type { ConnectorConfig } from '@cityops/contracts';

/** What every answer shows in place of a connector's secret: a header value, URL credentials, a query value. */
export const SECRET_MASK = '********';

/** The parts of a connector that are write-only: its whole URL (credentials, query) and its header values. */
export interface ConnectorSecrets {
  url: string;
  headers: Record<string, string>;
}

type Problem = { path: string; message: string };

/**
 * The URL as anyone may see it: user and password masked, and every query value (sources often
 * take their API key as `?key=`), the parameter names kept so one can tell what is sent.
 */
export function maskedUrl(url: string): string {
  const u = new URL(url);
  if (u.username) u.username = SECRET_MASK;
  if (u.password) u.password = SECRET_MASK;
  if (u.search) u.search = new URLSearchParams([...u.searchParams.keys()].map((name): [string, string] => [name, SECRET_MASK])).toString();
  return u.toString();
}

function hasUrlSecrets(url: string): boolean {
  const u = new URL(url);
  return u.username !== '' || u.password !== '' || u.search !== '';
}

/**
 * Splits a connector into what is stored in the catalog and shown to anyone who may read the feed
 * (URL and header values masked), and the secrets to seal (null when it has none).
 */
export function splitSecrets(connector: ConnectorConfig): { shown: ConnectorConfig; secrets: ConnectorSecrets | null } {
  const headers = connector.headers ?? {};
  const shown: ConnectorConfig = { ...connector, url: maskedUrl(connector.url) };
  if (connector.headers) shown.headers = Object.fromEntries(Object.keys(headers).map((name) => [name, SECRET_MASK]));
  const secret = Object.keys(headers).length > 0 || hasUrlSecrets(connector.url);
  return { shown, secrets: secret ? { url: connector.url, headers } : null };
}

/** The connector the worker runs: what is shown, with the sealed secrets put back. */
export function joinSecrets(shown: ConnectorConfig, secrets: ConnectorSecrets | null): ConnectorConfig {
  if (!secrets) return shown;
  return { ...shown, url: secrets.url, ...(shown.headers ? { headers: secrets.headers } : {}) };
}

/**
 * A connector sent to the API, in which `********` stands for a secret stored before (an editor
 * sends back what it was shown): each mask is replaced by the stored value it stands for. A mask
 * with nothing stored behind it is the sender's mistake, named by its path.
 */
export function resolveMasks(
  incoming: ConnectorConfig,
  stored: ConnectorConfig | null,
): { ok: true; connector: ConnectorConfig } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  let url = incoming.url;
  if (incoming.url.includes(SECRET_MASK)) {
    if (stored && maskedUrl(stored.url) === incoming.url) url = stored.url;
    else {
      problems.push({
        path: 'connector.url',
        message: `${SECRET_MASK} stands for the stored URL's credentials or query values, and this is not the stored URL: send the whole URL`,
      });
    }
  }
  let headers = incoming.headers;
  if (headers) {
    const storedHeaders = stored?.headers ?? {};
    headers = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => {
        if (value !== SECRET_MASK) return [name, value];
        const kept = storedHeaders[name];
        if (kept === undefined) {
          problems.push({
            path: `connector.headers.${name}`,
            message: `${SECRET_MASK} stands for a stored value, and none is stored for ${name}: send it`,
          });
        }
        return [name, kept ?? value];
      }),
    );
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, connector: { ...incoming, url, ...(headers ? { headers } : {}) } };
}
