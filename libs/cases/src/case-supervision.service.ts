import { Injectable, Logger } from '@nestjs/common';
import { ServerEvents, type CaseChangedEvent } from '@cityops/contracts';
import { JobName, LivePublisher, QueueService } from '@cityops/core';
import { AreaDirectory } from '@cityops/geo';
import { CaseChanges } from './case-changes';
import { SUPERVISION_LEVELS, supervisionInstant, supervisionLevelAt, TOP_SUPERVISION_LEVEL } from './case-supervision';
import { CaseViews } from './case-views';
import { CaseRepository, type StoredCase, type SupervisionStage } from './case.repository';

/** Cases supervised per sweep at most; the next sweep, a minute later, takes the rest. */
const SWEEP_BATCH = 500;

/** The stage a case is in and its deadline, when that stage has one. */
function openStage(c: StoredCase): { stage: SupervisionStage; dueAt: Date } | null {
  if (c.state === 'dispatched' && c.acceptDueAt) return { stage: 'accept', dueAt: c.acceptDueAt };
  if ((c.state === 'accepted' || c.state === 'in_progress') && c.resolveDueAt) return { stage: 'resolve', dueAt: c.resolveDueAt };
  return null;
}

/**
 * Deadline supervision (督办): when a stage's deadline passes, the case is escalated to its
 * community, then a working-time step later to its street, its district and the command centre.
 * Each level is a delayed job at the instant it is due (one per case and instant, across every
 * worker), and a sweep every minute catches any job Redis lost. Reaching a level writes a public
 * timeline entry and a `case.changed` event; the level is written only while the case is still
 * in the state and at the level that were read, so the job and the sweep never both escalate.
 */
@Injectable()
export class CaseSupervisionService {
  private readonly logger = new Logger(CaseSupervisionService.name);

  constructor(
    private readonly cases: CaseRepository,
    private readonly areas: AreaDirectory,
    private readonly views: CaseViews,
    private readonly queues: QueueService,
    private readonly live: LivePublisher,
    private readonly changes: CaseChanges,
  ) {}

  /** After a case changed: the delayed job for its next supervision level, if its stage has a deadline. */
  async schedule(c: StoredCase, now = new Date()): Promise<void> {
    const stage = openStage(c);
    if (!stage || c.supervisionLevel >= TOP_SUPERVISION_LEVEL) return;
    const hours = await this.stageHours(c.category, stage.stage);
    if (hours === null) return;
    const at = supervisionInstant(await this.cases.calendar(), stage.dueAt, hours, c.supervisionLevel + 1);
    try {
      await this.queues.add(
        JobName.superviseCase,
        { caseId: c.id },
        { jobId: `supervise-${c.id}-${stage.stage}-${at.getTime()}`, delay: Math.max(0, at.getTime() - now.getTime()) },
      );
    } catch (err) {
      // The sweep supervises it all the same, within a minute of its time.
      this.logger.warn({ err, case: c.code }, 'could not schedule the supervision of a case');
    }
  }

  /** Supervises one case as of `now`: raises it to the level its lateness has reached. Answers whether it rose. */
  async supervise(caseId: string, now = new Date()): Promise<boolean> {
    const c = await this.cases.findById(caseId);
    if (!c) return false;
    const stage = openStage(c);
    if (!stage) return false;
    const hours = await this.stageHours(c.category, stage.stage);
    if (hours === null) return false;
    const calendar = await this.cases.calendar();
    // A new stage starts from nothing: the level read belongs to the stage before.
    const current = c.supervisionStage === stage.stage ? c.supervisionLevel : 0;
    const level = supervisionLevelAt(calendar, stage.dueAt, hours, now);
    if (level <= current) {
      await this.schedule(c, now);
      return false;
    }
    const area = await this.supervisingArea(c.areaPath, level);
    const raised = await this.cases.transaction(async (m) => {
      if (
        !(await this.cases.raiseSupervision(
          m,
          c.id,
          { state: c.state, level: c.supervisionLevel },
          { stage: stage.stage, level, areaId: area?.id ?? null, at: now },
        ))
      )
        return false;
      await this.cases.addEvent(m, c.id, {
        actor: 'system',
        action: 'supervised',
        fromState: null,
        toState: null,
        comment: null,
        internal: false,
        detail: { stage: stage.stage, level, dueAt: stage.dueAt.toISOString(), areaCode: area?.code ?? null, areaName: area?.name ?? null },
      });
      return true;
    });
    if (!raised) return false;
    const after = await this.cases.findById(c.id);
    if (after) {
      await this.publish('supervised', after);
      await this.schedule(after, now);
    }
    this.logger.log({ case: c.code, stage: stage.stage, level }, 'case supervised');
    return true;
  }

  /** Every overdue case not at the top level, as of `now`; answers how many rose. */
  async sweep(now = new Date()): Promise<number> {
    let raised = 0;
    for (const id of await this.cases.overdueIds(now, SWEEP_BATCH)) if (await this.supervise(id, now)) raised++;
    return raised;
  }

  /** A case changed: to every listener whose areas hold its grid, and to its department's people wherever they are. */
  async publish(action: string, c: StoredCase): Promise<void> {
    const [summary] = await this.views.summaries([c]);
    await this.changes.announce();
    const payload: CaseChangedEvent = { action, case: summary };
    this.live.publishScoped({
      channel: 'cases',
      event: ServerEvents.caseChanged,
      payload,
      place: { areaIds: [c.gridId], department: c.department },
    });
  }

  private async stageHours(category: string, stage: SupervisionStage): Promise<number | null> {
    const found = (await this.cases.categories()).find((k) => k.key === category);
    return found ? (stage === 'accept' ? found.acceptHours : found.resolveHours) : null;
  }

  /** The area of the case's path at the level's rank (community … city); the nearest one above when the path lacks it. */
  private async supervisingArea(path: readonly number[], level: number) {
    const refs = await this.areas.byIds(path);
    const chain = path.flatMap((id) => refs.get(id) ?? []);
    const wanted = SUPERVISION_LEVELS.slice(level - 1);
    return wanted.map((l) => chain.find((a) => a.level === l)).find((a) => a !== undefined) ?? chain[0] ?? null;
  }
}
