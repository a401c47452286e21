import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CaseSupervisionService } from '@cityops/cases';
import { JobName } from '@cityops/core';
import { JobRunner } from './job-runner.service';

/** A case's next supervision instant came (its delayed job), and the minute's sweep for any job Redis lost. */
@Injectable()
export class CaseSupervisionProcessor implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly supervision: CaseSupervisionService,
  ) {}

  onModuleInit(): void {
    this.runner.register(JobName.superviseCase, async ({ caseId }) => ({ raised: await this.supervision.supervise(caseId) }));
    this.runner.register(JobName.sweepCaseDeadlines, async () => ({ raised: await this.supervision.sweep() }));
  }
}
