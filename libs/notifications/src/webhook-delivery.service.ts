import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { fetch } from 'undici';
import { WEBHOOK_HEADERS } from '@cityops/contracts';
import { APP_CONFIG, type AppConfig, SecretBox } from '@cityops/core';
import { ConnectorAddressError, ConnectorAddressPolicy } from '@cityops/feeds';
import { WebhookJobs } from './webhook-jobs.service';
import { webhookBody } from './webhook-payload';
import { webhookSignature } from './webhook-signature';
import { WebhookRepository } from './webhook.repository';

/** Which try of its job this is, and whether it is the last one BullMQ will make. */
export interface AttemptInfo {
  attempt: number;
  last: boolean;
}

/** What one POST came to. `refused`: the address may not be reached, and trying again will not change that. */
export interface SendResult {
  statusCode: number | null;
  error: string | null;
  refused: boolean;
}

export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed' | 'gone' | 'already delivered';

/** Thrown to make BullMQ try again later (its backoff); the attempt is recorded already. */
export class WebhookAttemptFailed extends Error {
  override readonly name = 'WebhookAttemptFailed';
}

type ErrorLike = { name?: unknown; message?: unknown; cause?: unknown };
const asErrorLike = (error: unknown): ErrorLike => (typeof error === 'object' && error !== null ? error : {});

/** A reason that names the host but never the path or query (which may carry a token). */
function failureReason(error: unknown, url: string, timeoutMs: number): { error: string; refused: boolean } {
  const { name, cause, message } = asErrorLike(error);
  if (name === 'TimeoutError' || name === 'AbortError') return { error: `no answer within ${timeoutMs} ms`, refused: false };
  if (cause instanceof ConnectorAddressError) return { error: `refused: ${cause.message}`, refused: true };
  const code = (asErrorLike(cause) as { code?: unknown }).code;
  const detail = typeof code === 'string' ? ` (${code})` : typeof message === 'string' && message ? `: ${message}` : '';
  return { error: `cannot reach ${new URL(url).host}${detail}`, refused: false };
}

/**
 * Sends one delivery: POST the signed JSON, 2xx is delivered, anything else (another status, a
 * redirect, a timeout, no connection) is recorded and left to BullMQ's backoff until the last
 * attempt. An address the policy refuses fails at once. At least once: a worker that dies after
 * the receiver answered sends again, with the same `X-Cityops-Delivery` for the receiver to drop.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);

  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly jobs: WebhookJobs,
    private readonly box: SecretBox,
    private readonly addresses: ConnectorAddressPolicy,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'webhooks'>,
  ) {}

  async deliver(deliveryId: string, { attempt, last }: AttemptInfo): Promise<DeliveryOutcome> {
    const target = await this.webhooks.findTarget(deliveryId);
    // Deleted with its webhook while queued.
    if (!target) return 'gone';
    if (target.status === 'delivered') return 'already delivered';
    if (!target.enabled && target.payload.change !== 'test') {
      await this.webhooks.fail(deliveryId, 'not sent: the webhook was disabled');
      return 'failed';
    }
    const result = await this.send(target.url, deliveryId, target.payload, this.box.open<string>(target.secretSealed));
    const delivered = result.error === null;
    const final = delivered || result.refused || last;
    const status = delivered ? 'delivered' : final ? 'failed' : 'pending';
    const recorded = await this.webhooks.recordAttempt(deliveryId, {
      status,
      statusCode: result.statusCode,
      error: result.error,
      nextAttemptAt: final ? null : this.jobs.nextAttemptAt(attempt),
    });
    this.logger.log({ deliveryId, attempt: recorded, status, statusCode: result.statusCode, error: result.error }, 'webhook attempt');
    if (delivered) return 'delivered';
    if (result.refused) throw new UnrecoverableError(result.error ?? 'refused');
    throw new WebhookAttemptFailed(result.error ?? 'failed');
  }

  private async send(url: string, deliveryId: string, payload: Parameters<typeof webhookBody>[1], secret: string): Promise<SendResult> {
    const sentAt = new Date();
    const timestamp = Math.floor(sentAt.getTime() / 1000);
    const body = webhookBody(deliveryId, payload, sentAt);
    const { timeoutMs } = this.config.webhooks;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'cityops-webhook',
          [WEBHOOK_HEADERS.delivery]: deliveryId,
          [WEBHOOK_HEADERS.event]: payload.change,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: webhookSignature(secret, timestamp, body),
        },
        body,
        // A redirect could lead anywhere, past the address check of the first host: not followed.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        dispatcher: this.addresses.dispatcher(),
      });
      // The answer's body is of no use, and reading it would let a receiver hold the worker.
      await res.body?.cancel().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { statusCode: res.status, error: null, refused: false };
      const redirect = res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : '';
      return { statusCode: res.status, error: `HTTP ${res.status}${redirect}`, refused: false };
    } catch (error) {
      return { statusCode: null, ...failureReason(error, url, timeoutMs) };
    }
  }
}
