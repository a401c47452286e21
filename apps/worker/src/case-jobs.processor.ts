import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CaseStatisticsService, CaseSupervisionService } from '@cityops/cases';
import { JobName } from '@cityops/core';
import { JobRunner } from './job-runner.service';

/** A case's next supervision instant came (its delayed job), the minute's sweep for any job Redis lost, and the statistics feed. */
@Injectable()
export class CaseJobsProcessor implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly supervision: CaseSupervisionService,
    private readonly statistics: CaseStatisticsService,
  ) {}

  onModuleInit(): void {
    this.runner.register(JobName.superviseCase, async ({ caseId }) => ({ raised: await this.supervision.supervise(caseId) }));
    this.runner.register(JobName.sweepCaseDeadlines, async () => ({ raised: await this.supervision.sweep() }));
    this.runner.register(JobName.publishCaseStatistics, async () => ({ records: await this.statistics.publish() }));
  }
}
