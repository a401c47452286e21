import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '@cityops/core';

type CspDirectives = Record<string, string[] | null>;

/**
 * The web app's Content-Security-Policy: only this origin, plus the configured base map's origin
 * for its style, tiles, glyphs and sprites. MapLibre runs its worker from our own asset and makes
 * images from blobs; ECharts draws on canvas; React sets styles through the CSSOM, which CSP does
 * not restrict, so no inline script or style is needed.
 */
export function appDirectives(config: AppConfig): CspDirectives {
  const basemap = config.basemapStyleUrl ? [new URL(config.basemapStyleUrl).origin] : [];
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': config.frameAncestors.length ? config.frameAncestors : ["'none'"],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:', ...basemap],
    'font-src': ["'self'", 'data:', ...basemap],
    // 'self' covers the socket's ws:/wss: on this host (CSP Level 3).
    'connect-src': ["'self'", ...basemap],
    'worker-src': ["'self'", 'blob:'],
    // Plain HTTP on a command centre's LAN is a supported set-up: upgrading would break it.
    'upgrade-insecure-requests': null,
  };
}

/** Swagger UI (/api/docs) writes inline `<style>` and `style=` attributes; its scripts are our own files. */
export function docsDirectives(config: AppConfig): CspDirectives {
  return { ...appDirectives(config), 'style-src': ["'self'", "'unsafe-inline'"] };
}

const isDocs = (path: string) => path === '/api/docs' || path.startsWith('/api/docs/');

/** Answers of the API are never kept by a browser or a shared cache: they may hold data of one caller. */
const isApi = (path: string) => path === '/api' || path.startsWith('/api/') || path === '/metrics';

/**
 * Security headers on every answer Express sends (helmet), with the policy of the part served:
 * the web app's, or Swagger UI's; `Cache-Control: no-store` on the API. The web app's hashed
 * assets keep the caching `serveWebApp` gives them.
 */
export function securityHeaders(config: AppConfig) {
  const common = {
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' as const },
    // Browsers honour it only over HTTPS; a proxy that terminates TLS passes it on.
    strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
    // `frame-ancestors` says it better; the old header could only say "nobody", which would contradict a configured list.
    xFrameOptions: config.frameAncestors.length ? false : ({ action: 'deny' } as const),
  };
  const forApp = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: appDirectives(config) } });
  const forDocs = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: docsDirectives(config) } });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (isApi(req.path)) res.setHeader('Cache-Control', 'no-store');
    (isDocs(req.path) ? forDocs : forApp)(req, res, next);
  };
}
