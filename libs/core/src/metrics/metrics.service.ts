import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RedisService } from '../redis/redis.service';

const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Prometheus metrics of this process, plus job durations that workers record in Redis so that
 * `/metrics` on any API process shows them (workers serve no HTTP).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'cityops_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly ingestRecords = new Counter({
    name: 'cityops_ingest_records_total',
    help: 'Ingested records by feed and outcome (accepted, duplicate, rejected)',
    labelNames: ['feed', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly socketClients = new Gauge({
    name: 'cityops_socket_clients',
    help: 'Connected socket.io clients on this API process',
    registers: [this.registry],
  });

  constructor(private readonly redis: RedisService) {
    collectDefaultMetrics({ register: this.registry, prefix: 'cityops_' });
  }

  private get jobsKey(): string {
    return this.redis.key('metrics', 'jobs');
  }

  /** Called by workers when a job ends. */
  async recordJob(queue: string, name: string, status: 'completed' | 'failed', seconds: number): Promise<void> {
    const base = `${queue}|${name}|${status}`;
    const pipeline = this.redis.client.pipeline();
    pipeline.hincrby(this.jobsKey, `${base}|count`, 1);
    pipeline.hincrbyfloat(this.jobsKey, `${base}|sum`, seconds);
    for (const le of JOB_BUCKETS) {
      if (seconds <= le) pipeline.hincrby(this.jobsKey, `${base}|le=${le}`, 1);
    }
    await pipeline.exec();
  }

  async render(): Promise<string> {
    return (await this.registry.metrics()) + (await this.renderJobs());
  }

  private async renderJobs(): Promise<string> {
    const raw = await this.redis.client.hgetall(this.jobsKey).catch(() => ({}));
    const series = new Map<string, { count: number; sum: number; buckets: Map<number, number> }>();
    for (const [field, value] of Object.entries(raw)) {
      const [queue, name, status, part] = field.split('|');
      const id = `${queue}|${name}|${status}`;
      const entry = series.get(id) ?? { count: 0, sum: 0, buckets: new Map<number, number>() };
      if (part === 'count') entry.count = Number(value);
      else if (part === 'sum') entry.sum = Number(value);
      else if (part?.startsWith('le=')) entry.buckets.set(Number(part.slice(3)), Number(value));
      series.set(id, entry);
    }
    const lines = [
      '# HELP cityops_job_duration_seconds Duration of BullMQ jobs by queue, job and outcome (all workers)',
      '# TYPE cityops_job_duration_seconds histogram',
    ];
    for (const [id, entry] of series) {
      const [queue, name, status] = id.split('|');
      const labels = `queue="${queue}",job="${name}",status="${status}"`;
      for (const le of JOB_BUCKETS) {
        lines.push(`cityops_job_duration_seconds_bucket{${labels},le="${le}"} ${entry.buckets.get(le) ?? 0}`);
      }
      lines.push(`cityops_job_duration_seconds_bucket{${labels},le="+Inf"} ${entry.count}`);
      lines.push(`cityops_job_duration_seconds_sum{${labels}} ${entry.sum}`);
      lines.push(`cityops_job_duration_seconds_count{${labels}} ${entry.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
