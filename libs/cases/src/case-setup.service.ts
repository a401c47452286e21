import { Injectable } from '@nestjs/common';
import { CaseRepository } from './case.repository';

export interface CaseCategoryGroupSetup {
  key: string;
  name: string;
  nameEn: string | null;
  /** 企业呼: the promise of a first answer, in clock hours. */
  responsePromiseHours: number | null;
  categories: { key: string; name: string; nameEn: string | null; acceptHours: number; resolveHours: number }[];
}

/**
 * Loads a category catalog and calendar days (the demo's, or a deployment's own at set-up).
 * Repeating it rewrites the catalog entries given and leaves the rest; calendar days already held
 * keep what they say.
 */
@Injectable()
export class CaseSetupService {
  constructor(private readonly cases: CaseRepository) {}

  /** Loads the catalog only when it holds none: an admin's edits survive every later start. */
  async loadCategoriesIfEmpty(groups: readonly CaseCategoryGroupSetup[]): Promise<number> {
    if ((await this.cases.categories()).length > 0) return 0;
    return this.loadCategories(groups);
  }

  async loadCategories(groups: readonly CaseCategoryGroupSetup[]): Promise<number> {
    let n = 0;
    for (const [g, group] of groups.entries()) {
      await this.cases.upsertCategoryGroup({
        key: group.key,
        name: group.name,
        nameEn: group.nameEn,
        responsePromiseHours: group.responsePromiseHours,
        sort: g,
      });
      for (const [c, category] of group.categories.entries()) {
        await this.cases.upsertCategory({ ...category, group: group.key, enabled: true, sort: c });
        n++;
      }
    }
    return n;
  }

  /** Routing rules by category (or group) and area id; a rule held for the same pair is kept. */
  async ensureRules(
    rules: readonly { category: string | null; areaId: number | null; department: string }[],
    actor: string,
  ): Promise<number> {
    let added = 0;
    for (const rule of rules) if ((await this.cases.insertRule({ ...rule, createdBy: actor })) !== null) added++;
    return added;
  }

  async addCalendarDays(days: readonly { day: string; kind: 'holiday' | 'workday'; name: string | null }[]): Promise<number> {
    return this.cases.addCalendarDays(days);
  }
}
