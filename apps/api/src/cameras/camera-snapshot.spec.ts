import type { CameraView } from '@cityops/contracts';
import { cameraSnapshotSvg, xmlText } from './camera-snapshot';

const camera: CameraView = {
  feed: 'cams',
  id: 'c-1',
  name: '天河区球机00001',
  nameEn: null,
  location: [113.3, 23.1],
  heading: 90,
  kind: 'dome',
  status: 'online',
  area: null,
  ts: '2026-11-30T02:00:00.000Z',
  snapshot: '/api/cameras/cams/c-1/snapshot',
  streamUrl: null,
  distanceMeters: null,
  demo: true,
};

describe('a camera’s placeholder frame', () => {
  it('names the camera and the time and is badged 演示 DEMO for a demo camera', () => {
    const svg = cameraSnapshotSvg(camera, true, new Date('2026-11-30T02:03:04Z'));
    expect(svg).toContain('天河区球机00001');
    expect(svg).toContain('2026-11-30 02:03:04 UTC');
    expect(svg).toContain('演示 DEMO');
  });

  it('says there is no live frame for a camera that is not demo data', () => {
    const svg = cameraSnapshotSvg({ ...camera, demo: false }, false, new Date());
    expect(svg).not.toContain('演示 DEMO');
    expect(svg).toContain('NO LIVE FRAME');
  });

  it('escapes markup in the name and id, so a name cannot add elements or scripts', () => {
    const svg = cameraSnapshotSvg({ ...camera, name: '<script>alert(1)</script>"&\'', id: '</text><image href="x"/>' }, true, new Date());
    expect(svg).not.toMatch(/<script|<image/);
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&apos;');
  });

  it('replaces characters XML cannot hold', () => {
    expect(xmlText('a\u0001b\u0009c')).toBe('a\ufffdb\u0009c');
  });
});
