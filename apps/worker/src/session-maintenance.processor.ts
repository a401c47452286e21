import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobName } from '@cityops/core';
import { AuthService } from '@cityops/identity';
import { JobRunner } from './job-runner.service';

/** Hourly: sessions that ended (signed out, revoked, expired) over a day ago are deleted. */
@Injectable()
export class SessionMaintenanceProcessor implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly auth: AuthService,
  ) {}

  onModuleInit(): void {
    this.runner.register(JobName.pruneSessions, async () => ({ deleted: await this.auth.pruneEndedSessions() }));
  }
}
