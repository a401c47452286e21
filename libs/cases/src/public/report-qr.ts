import * as QRCode from 'qrcode';

const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/** Pixels of the printed sheet's width; the QR code fills it, its words go under it. */
const SIZE = 400;
const LINE = 30;

/**
 * A grid's poster: the QR code of its report page's address (error correction M: a poster survives
 * some scratches and rain), and under it the grid's name, its district's, and what to do. The code
 * itself is the library's own SVG, nested whole, so a scanner reads exactly what it drew.
 */
export async function reportQrSvg(url: string, lines: { title: string; subtitle: string | null; hint: string }): Promise<string> {
  const qr = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  const inner = qr.replace('<svg ', `<svg x="0" y="0" width="${SIZE}" height="${SIZE}" `);
  const texts = [
    { text: lines.title, size: 22, weight: 700 },
    ...(lines.subtitle ? [{ text: lines.subtitle, size: 16, weight: 400 }] : []),
    { text: lines.hint, size: 16, weight: 400 },
  ];
  const height = SIZE + texts.length * LINE + 10;
  const words = texts
    .map(
      (t, i) =>
        `<text x="${SIZE / 2}" y="${SIZE + i * LINE + 18}" font-size="${t.size}" font-weight="${t.weight}" text-anchor="middle">${escapeXml(t.text)}</text>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${height}" viewBox="0 0 ${SIZE} ${height}">` +
    `<title>${escapeXml(lines.title)}</title>` +
    `<rect width="${SIZE}" height="${height}" fill="#ffffff"/>${inner}` +
    `<g font-family="'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif" fill="#111111">${words}</g></svg>`
  );
}
