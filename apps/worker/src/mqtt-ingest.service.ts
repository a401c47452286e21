import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { connect, type MqttClient, type OnMessageCallback } from 'mqtt';
import type { IngestResult } from '@cityops/contracts';
import { APP_CONFIG, type AppConfig, DomainException, unavailableService } from '@cityops/core';
import { FeedNotFoundError, IngestService } from '@cityops/feeds';
import { feedKeyOfTopic, parseMqttPayload, recordsTopicFilter, resultsTopic } from './mqtt-payload';

type PublishPacket = Parameters<OnMessageCallback>[2];

/** MQTT 5 PUBACK reason codes: a device or broker log can tell stored from refused. */
const ACK = { success: 0, unspecifiedError: 128, topicNameInvalid: 144, payloadFormatInvalid: 153 } as const;
type AckReasonCode = (typeof ACK)[keyof typeof ACK];

/** What a device reads on cityops/feeds/<key>/results after each message. */
export type MqttBatchSummary = ({ feed: string; receivedAt: string } & IngestResult) | { feed: string; receivedAt: string; error: string };

/** Reasons listed per summary: enough for a device to fix its payload, small enough for MQTT. */
const MAX_SUMMARY_ERRORS = 100;

/**
 * Devices publish records over MQTT instead of HTTP. Each message is ingested on its own (a bad
 * one fails alone), acknowledged to the broker once stored, and its outcome is published back to
 * the device.
 */
@Injectable()
export class MqttIngestService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MqttIngestService.name);
  private client: MqttClient | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private markSubscribed: () => void = () => undefined;
  private readonly subscribed = new Promise<void>((resolve) => {
    this.markSubscribed = resolve;
  });

  constructor(
    private readonly ingest: IngestService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A shared subscription hands each message to one worker of the group. The group is the
   * deployment's Redis prefix ("cityops" by default): workers that share queues share messages,
   * while a second deployment (or a test run) on the same broker gets its own copy.
   */
  get subscription(): string {
    return `$share/${this.config.redis.prefix}/${recordsTopicFilter(this.config.mqttTopicRoot)}`;
  }

  onApplicationBootstrap(): void {
    if (!this.config.mqttUrl) return;
    const client = connect(this.config.mqttUrl, {
      clientId: `cityops-worker-${randomBytes(6).toString('hex')}`,
      protocolVersion: 5,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      // Subscribed again on each connect below; a clean session forgets subscriptions.
      resubscribe: false,
      // QoS 1/2: the acknowledgement goes out once the message is committed (or answered as
      // refused), so a broker that got PUBACK never holds the only copy of an unstored record.
      // mqtt.js reads the next packet after this one is acknowledged: messages of one worker
      // are ingested in order, one at a time; more workers share the subscription.
      customHandleAcks: (topic, payload, packet: PublishPacket, done) => {
        this.track(this.handle(topic, payload, packet).then((code) => done(code)));
      },
    });
    client.on('connect', () => this.subscribe(client));
    // QoS 0 messages carry no acknowledgement and do not pass through customHandleAcks.
    client.on('message', (topic, payload, packet) => {
      if (packet.qos === 0) this.track(this.handle(topic, payload, packet));
    });
    // Without a listener an 'error' event would end the process; the client reconnects by itself.
    client.on('error', (err) => this.logger.warn({ err: err.message }, 'mqtt client error'));
    client.on('offline', () => this.logger.warn({ broker: this.brokerHost() }, 'mqtt broker unreachable, reconnecting'));
    this.client = client;
  }

  /** Resolves once the first subscription is in place (start-up checks and tests wait on it). */
  whenSubscribed(): Promise<void> {
    return this.subscribed;
  }

  async onModuleDestroy(): Promise<void> {
    const client = this.client;
    if (!client) return;
    // Finish the messages in hand so their acknowledgements go out before the connection closes.
    await this.drain();
    await client.endAsync();
    await this.drain();
    this.client = undefined;
  }

  private subscribe(client: MqttClient): void {
    client.subscribe(this.subscription, { qos: 1 }, (err, granted) => {
      const refused = granted?.find((g) => g.qos === 128);
      if (err || refused) {
        this.logger.error({ err: err?.message, subscription: this.subscription }, 'mqtt subscription refused');
        return;
      }
      this.logger.log({ broker: this.brokerHost(), subscription: this.subscription }, 'mqtt ingest subscribed');
      this.markSubscribed();
    });
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * One message, start to end; never throws (a failure is logged and answered on the results
   * topic). Answers the MQTT 5 reason code for its acknowledgement.
   */
  async handle(topic: string, payload: Buffer, packet?: PublishPacket): Promise<AckReasonCode> {
    const feedKey = feedKeyOfTopic(topic, this.config.mqttTopicRoot);
    if (!feedKey) {
      this.logger.warn({ topic, bytes: payload.length }, 'mqtt message on a topic that names no valid feed key: dropped');
      return ACK.topicNameInvalid;
    }
    const receivedAt = new Date().toISOString();
    let summary: MqttBatchSummary;
    let code: AckReasonCode = ACK.success;
    try {
      summary = { feed: feedKey, receivedAt, ...(await this.ingestPayload(feedKey, payload)) };
    } catch (error) {
      const failure = this.failure(feedKey, topic, payload, error);
      summary = { feed: feedKey, receivedAt, error: failure.reason };
      code = failure.code;
    }
    this.reply(feedKey, summary, packet);
    return code;
  }

  private async ingestPayload(feedKey: string, payload: Buffer): Promise<IngestResult> {
    const parsed = parseMqttPayload(payload);
    if (parsed.kind === 'empty') throw new EmptyPayloadError();
    if (parsed.kind === 'document') return this.ingest.ingestDocument(feedKey, parsed.document, 'mqtt');
    if (parsed.unreadableLines.size) {
      this.logger.warn(
        { feed: feedKey, lines: [...parsed.unreadableLines.values()], records: parsed.records.length },
        'mqtt payload has lines that are not JSON: kept as rejected records',
      );
    }
    return this.ingest.ingestRawItems(
      feedKey,
      parsed.records.map((raw, i) => {
        const line = parsed.unreadableLines.get(i);
        return line === undefined ? { raw } : { raw, error: `line ${line}: not valid JSON` };
      }),
      'mqtt',
    );
  }

  private failure(feedKey: string, topic: string, payload: Buffer, error: unknown): { reason: string; code: AckReasonCode } {
    if (error instanceof FeedNotFoundError) {
      this.logger.warn({ topic, bytes: payload.length }, 'mqtt message for an unknown feed: dropped');
      return { reason: `unknown feed ${feedKey}`, code: ACK.topicNameInvalid };
    }
    // The sender's mistake (an empty message, {"records": []}): worth a warning, not an alarm.
    if (error instanceof EmptyPayloadError || (error instanceof DomainException && error.status < 500)) {
      this.logger.warn({ feed: feedKey, reason: error.message }, 'mqtt message not ingested');
      return { reason: error.message, code: ACK.payloadFormatInvalid };
    }
    // PostgreSQL or Redis away: the device is told to send the message again later. Whatever part
    // of it was committed before the failure counts as duplicates then, so nothing is stored twice.
    const unavailable = unavailableService(error);
    if (unavailable) {
      this.logger.warn({ feed: feedKey, bytes: payload.length, ...unavailable }, 'mqtt message not stored: service unavailable');
      const service = { database: 'the database', redis: 'Redis', unknown: 'a service' }[unavailable.service];
      return { reason: `not stored: ${service} is unavailable; send it again later`, code: ACK.unspecifiedError };
    }
    this.logger.error({ err: error, feed: feedKey, bytes: payload.length }, 'mqtt message could not be stored');
    return { reason: 'not stored: internal error (see the worker log)', code: ACK.unspecifiedError };
  }

  private reply(feedKey: string, summary: MqttBatchSummary, packet?: PublishPacket): void {
    const client = this.client;
    if (!client) return;
    const body =
      'errors' in summary && summary.errors.length > MAX_SUMMARY_ERRORS
        ? { ...summary, errors: summary.errors.slice(0, MAX_SUMMARY_ERRORS), errorsTruncated: true }
        : summary;
    const correlationData = packet?.properties?.correlationData;
    // QoS 0: a missed summary costs nothing, the records are stored either way.
    client.publish(
      resultsTopic(this.config.mqttTopicRoot, feedKey),
      JSON.stringify(body),
      { qos: 0, properties: correlationData ? { correlationData } : undefined },
      (err) => {
        if (err) this.logger.debug({ err: err.message, feed: feedKey }, 'mqtt result not published');
      },
    );
  }

  private brokerHost(): string {
    try {
      return new URL(this.config.mqttUrl ?? '').host;
    } catch {
      return '(invalid MQTT_URL)';
    }
  }
}

class EmptyPayloadError extends Error {
  constructor() {
    super('empty message: send a JSON record, an array, {"records": [...]}, a FeatureCollection or NDJSON lines');
  }
}
