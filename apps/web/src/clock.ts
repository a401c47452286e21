/**
 * Server-corrected time. A wall PC on a closed network may have no time server and drift; the
 * API's `Date` header tells how far. Corrections under 2 s are ignored (the header has 1 s
 * resolution), so the clock does not jitter.
 */
let offsetMs = 0;

const MIN_CORRECTION_MS = 2_000;

/** Feed the `Date` header of an API answer. */
export function noteServerDate(header: string | null, receivedAt = Date.now()): void {
  if (!header) return;
  const serverMs = Date.parse(header);
  if (Number.isNaN(serverMs)) return;
  // The header is truncated to the second: its middle is half a second later.
  const measured = serverMs + 500 - receivedAt;
  offsetMs = Math.abs(measured) < MIN_CORRECTION_MS ? 0 : measured;
}

/** Current time in epoch ms, as the server sees it. */
export function serverNow(): number {
  return Date.now() + offsetMs;
}
