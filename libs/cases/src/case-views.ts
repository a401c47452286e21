import { Injectable } from '@nestjs/common';
import type { CaseSummary } from '@cityops/contracts';
import { FeedCatalogService } from '@cityops/feeds';
import { AreaDirectory, type AreaRef } from '@cityops/geo';
import { CaseRepository, type StoredCase } from './case.repository';

function supervisionOf(c: StoredCase, areas: ReadonlyMap<number, AreaRef>): CaseSummary['supervision'] {
  if (c.supervisionStage === null || c.supervisionLevel === 0 || c.supervisedAt === null) return null;
  const area = c.supervisedAreaId === null ? undefined : areas.get(c.supervisedAreaId);
  return {
    stage: c.supervisionStage,
    level: c.supervisionLevel,
    areaCode: area?.code ?? null,
    areaName: area?.name ?? null,
    areaLevel: area?.level ?? null,
    at: c.supervisedAt.toISOString(),
  };
}

/** Cases as the API and the live channel show them: names of categories, areas and departments filled in. */
@Injectable()
export class CaseViews {
  constructor(
    private readonly cases: CaseRepository,
    private readonly areas: AreaDirectory,
    private readonly feeds: FeedCatalogService,
  ) {}

  async departmentNames(): Promise<Map<string, { name: string; nameEn: string | null }>> {
    return new Map((await this.feeds.departments()).map((d) => [d.code, { name: d.name, nameEn: d.nameEn }]));
  }

  async summaries(cases: readonly StoredCase[]): Promise<CaseSummary[]> {
    const [categories, departments, areas] = await Promise.all([
      this.cases.categories(),
      this.departmentNames(),
      this.areas.byIds(cases.flatMap((c) => (c.supervisedAreaId === null ? c.areaPath : [...c.areaPath, c.supervisedAreaId]))),
    ]);
    const now = Date.now();
    return cases.map((c) => {
      const category = categories.find((k) => k.key === c.category);
      const grid = areas.get(c.gridId);
      const district = c.areaPath.map((id) => areas.get(id)).find((a) => a?.level === 'district');
      const overdue =
        c.state === 'dispatched' && c.acceptDueAt && c.acceptDueAt.getTime() < now
          ? 'accept'
          : (c.state === 'accepted' || c.state === 'in_progress') && c.resolveDueAt && c.resolveDueAt.getTime() < now
            ? 'resolve'
            : null;
      return {
        code: c.code,
        category: c.category,
        categoryName: category?.name ?? c.category,
        categoryNameEn: category?.nameEn ?? null,
        categoryGroup: category?.group ?? '',
        description: c.description,
        address: c.address,
        location: c.location,
        gridCode: grid?.code ?? '',
        gridName: grid?.name ?? '',
        districtCode: district?.code ?? null,
        districtName: district?.name ?? null,
        priority: c.priority,
        source: c.source,
        state: c.state,
        department: c.department,
        departmentName: c.department ? (departments.get(c.department)?.name ?? c.department) : null,
        departmentNameEn: c.department ? (departments.get(c.department)?.nameEn ?? null) : null,
        reportedAt: c.reportedAt.toISOString(),
        createdAt: c.createdAt.toISOString(),
        updatedAt: c.updatedAt.toISOString(),
        acceptDueAt: c.acceptDueAt?.toISOString() ?? null,
        resolveDueAt: c.resolveDueAt?.toISOString() ?? null,
        overdue,
        supervision: supervisionOf(c, areas),
      };
    });
  }
}
