import type { FileCaseRequest } from '@cityops/contracts';

/**
 * The report a grid worker is writing on the phone, kept in localStorage so that a reload, a
 * crash or a dropped connection loses nothing. Its `clientRequestId` is made once per draft: every
 * submission of the same draft carries it, so a retry after an answer lost on a bad connection
 * files the case once (the server answers the case the first attempt filed).
 */
export interface ReportDraft {
  clientRequestId: string;
  category: string;
  description: string;
  address: string;
}

/** A position from the phone's GPS: [lon, lat] and how sure the phone is, in metres. */
export interface GpsFix {
  lon: number;
  lat: number;
  accuracy: number;
}

export type DraftField = 'category' | 'description' | 'location';
export type DraftProblem = 'mNeedCategory' | 'mNeedDescription' | 'mDescriptionTooLong' | 'mNeedLocation';

const STORAGE_PREFIX = 'cityops.m.draft';
/** The server's pattern for `clientRequestId`. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const DESCRIPTION_MAX = 4000;
const ADDRESS_MAX = 300;

/** The draft's key in storage: per user, so that two workers sharing a phone keep their own. */
export function draftStorageKey(username: string): string {
  return `${STORAGE_PREFIX}.${username}`;
}

/** `m-<uuid>`: unique per draft, and within the server's pattern. */
export function newClientRequestId(randomUuid: () => string = () => crypto.randomUUID()): string {
  return `m-${randomUuid()}`;
}

export function emptyDraft(randomUuid?: () => string): ReportDraft {
  return { clientRequestId: newClientRequestId(randomUuid), category: '', description: '', address: '' };
}

/** The stored draft, or null when there is none or it cannot be read (storage off, corrupt entry). */
export function readDraft(storage: Pick<Storage, 'getItem'> | null, key: string): ReportDraft | null {
  let raw: string | null;
  try {
    raw = storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<Record<keyof ReportDraft, unknown>>;
    const { clientRequestId, category, description, address } = parsed;
    if (typeof clientRequestId !== 'string' || !CLIENT_REQUEST_ID.test(clientRequestId)) return null;
    return {
      clientRequestId,
      category: typeof category === 'string' ? category : '',
      description: typeof description === 'string' ? description : '',
      address: typeof address === 'string' ? address : '',
    };
  } catch {
    return null;
  }
}

/** The stored draft, or a new one (with a new clientRequestId) when there is none. */
export function loadDraft(storage: Pick<Storage, 'getItem'> | null, key: string, randomUuid?: () => string): ReportDraft {
  return readDraft(storage, key) ?? emptyDraft(randomUuid);
}

export function saveDraft(storage: Pick<Storage, 'setItem'> | null, key: string, draft: ReportDraft): void {
  try {
    storage?.setItem(key, JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the draft then lives as long as the page.
  }
}

export function clearDraft(storage: Pick<Storage, 'removeItem'> | null, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // Nothing stored, nothing to clear.
  }
}

/** Why the draft cannot be sent yet, per field (message keys of the phone page); empty when it can. */
export function draftProblems(draft: ReportDraft, fix: GpsFix | null): Partial<Record<DraftField, DraftProblem>> {
  const problems: Partial<Record<DraftField, DraftProblem>> = {};
  if (!draft.category) problems.category = 'mNeedCategory';
  const description = draft.description.trim();
  if (!description) problems.description = 'mNeedDescription';
  else if (description.length > DESCRIPTION_MAX) problems.description = 'mDescriptionTooLong';
  if (!fix) problems.location = 'mNeedLocation';
  return problems;
}

/** The request that files the draft at the GPS fix; the address only when one was written. */
export function fileRequestOf(draft: ReportDraft, fix: GpsFix): FileCaseRequest {
  const address = draft.address.trim().slice(0, ADDRESS_MAX);
  return {
    category: draft.category,
    description: draft.description.trim(),
    location: [fix.lon, fix.lat],
    ...(address ? { address } : {}),
    priority: 'normal',
    clientRequestId: draft.clientRequestId,
  };
}
