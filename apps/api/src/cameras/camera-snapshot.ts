import type { CameraView } from '@cityops/contracts';

/** The snapshot route's answer: an image no script can run in, even opened on its own. */
export const SNAPSHOT_CONTENT_TYPE = 'image/svg+xml; charset=utf-8';
export const SNAPSHOT_CSP = "default-src 'none'";

const WIDTH = 640;
const HEIGHT = 360;

/** XML 1.0 holds no C0 control but tab, line feed and carriage return, nor U+FFFE and U+FFFF. */
function xmlChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const forbidden = (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffe || code === 0xffff;
  return forbidden ? '\ufffd' : c;
}

/** Text for an XML text node or attribute: markup escaped, characters XML 1.0 cannot hold replaced. */
export function xmlText(value: string): string {
  return Array.from(value, xmlChar)
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Long names are cut (by code point, so no surrogate pair is split) to stay on the frame. */
function clip(value: string, max: number): string {
  const chars = Array.from(value);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : value;
}

const STATUS_COLOUR: Record<CameraView['status'], string> = { online: '#22c55e', offline: '#94a3b8', fault: '#f97316' };

/**
 * A placeholder frame: no picture is fetched from any camera yet, so the frame says so. It names
 * the camera and the time it was drawn, shows where the lens points, and carries a badge:
 * 演示 DEMO for a demo camera (its props say `demo: true`), else that there is no live frame.
 */
export function cameraSnapshotSvg(camera: CameraView, demo: boolean, at: Date): string {
  const time = `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  const badge = demo ? '演示 DEMO' : '无实时画面 NO LIVE FRAME';
  const badgeWidth = demo ? 150 : 300;
  const rad = ((camera.heading - 90) * Math.PI) / 180;
  const [cx, cy] = [WIDTH - 70, HEIGHT - 80];
  const tip = [cx + 40 * Math.cos(rad), cy + 40 * Math.sin(rad)].map((n) => n.toFixed(1));
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${xmlText(camera.name)}">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1e293b"/><stop offset="1" stop-color="#0f172a"/></linearGradient>
  </defs>
  <rect width="${WIDTH}" height="${HEIGHT}" fill="url(#sky)"/>
  <path d="M0 ${HEIGHT} L250 200 L390 200 L${WIDTH} ${HEIGHT} Z" fill="#334155"/>
  <path d="M320 205 L320 ${HEIGHT}" stroke="#e2e8f0" stroke-width="4" stroke-dasharray="18 16"/>
  <rect x="16" y="16" width="${badgeWidth}" height="36" rx="6" fill="#b91c1c"/>
  <text x="${16 + badgeWidth / 2}" y="41" fill="#ffffff" font-family="sans-serif" font-size="20" font-weight="700" text-anchor="middle">${badge}</text>
  <circle cx="${WIDTH - 30}" cy="34" r="9" fill="${STATUS_COLOUR[camera.status]}"/>
  <text x="${WIDTH - 48}" y="41" fill="#e2e8f0" font-family="sans-serif" font-size="18" text-anchor="end">${camera.status}</text>
  <text x="20" y="${HEIGHT - 76}" fill="#f8fafc" font-family="sans-serif" font-size="26" font-weight="700">${xmlText(clip(camera.name, 28))}</text>
  <text x="20" y="${HEIGHT - 46}" fill="#cbd5e1" font-family="monospace" font-size="16">${xmlText(clip(`${camera.feed}/${camera.id}`, 48))} · ${camera.kind} · ${Math.round(camera.heading)}°</text>
  <text x="20" y="${HEIGHT - 20}" fill="#cbd5e1" font-family="monospace" font-size="16">${time}</text>
  <circle cx="${cx}" cy="${cy}" r="44" fill="none" stroke="#64748b" stroke-width="2"/>
  <line x1="${cx}" y1="${cy}" x2="${tip[0]}" y2="${tip[1]}" stroke="#38bdf8" stroke-width="4" stroke-linecap="round"/>
</svg>
`;
}
