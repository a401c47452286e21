import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AddressSet, APP_CONFIG, type AppConfig } from '@cityops/core';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Who may read what operators see of the process (/metrics, the health report): a caller with the
 * metrics token (`METRICS_TOKEN`, as a bearer token), or one from an address in `METRICS_ALLOW`
 * (the client address Express settled on, so `TRUSTED_PROXIES` applies). With neither configured,
 * nobody: queue sizes and request rates say more about a deployment than its public needs to know.
 */
@Injectable()
export class MetricsAccess {
  private readonly tokenDigest: Buffer | undefined;
  private readonly allowed: AddressSet;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.tokenDigest = config.metrics.token ? digest(config.metrics.token) : undefined;
    this.allowed = new AddressSet(config.metrics.allow);
  }

  /** From the request's `Authorization` header and its client address (`req.ip`). */
  allows(authorization: string | undefined, clientIp: string | undefined): boolean {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    // Digests have one length, so the comparison takes the same time whatever was sent.
    if (bearer && this.tokenDigest && timingSafeEqual(digest(bearer), this.tokenDigest)) return true;
    return clientIp !== undefined && this.allowed.has(clientIp);
  }
}
