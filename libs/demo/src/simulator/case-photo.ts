import sharp from 'sharp';

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A simulated person's photo: a small JPEG that says plainly it is a placeholder ("演示 DEMO",
 * what it shows, the case and the time), never a picture passed off as real. Each one differs (a
 * case keeps one copy of the same bytes per stage, and a fix sent back is photographed again).
 */
export function demoCasePhoto(label: string, stage: 'report' | 'resolve', caption: string): Promise<Buffer> {
  const background = stage === 'report' ? '#7a4b2a' : '#2a6b4b';
  const line = (y: number, size: number, fill: string, text: string) =>
    `<text x="240" y="${y}" font-size="${size}" font-family="sans-serif" fill="${fill}" text-anchor="middle">${escapeXml(text)}</text>`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320">` +
    `<rect width="480" height="320" fill="${background}"/>` +
    line(120, 56, '#fff', '演示 DEMO') +
    line(175, 26, '#fff', label) +
    line(220, 22, '#ddd', stage === 'report' ? 'reported 上报' : 'fixed 处置后') +
    line(265, 18, '#ccc', caption) +
    `</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 70 }).toBuffer();
}
