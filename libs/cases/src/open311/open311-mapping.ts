import type {
  CaseState,
  Open311Error,
  Open311Format,
  Open311Service,
  Open311ServiceRequest,
  Open311Status,
  ProblemDetails,
} from '@cityops/contracts';
import { toXmlDocument, type XmlValue } from './open311-xml';

/** Open: the case is still being worked on (or waits to be); closed: nothing more will happen to it. */
const OPEN311_STATUS: Record<CaseState, Open311Status> = {
  reported: 'open',
  dispatched: 'open',
  accepted: 'open',
  in_progress: 'open',
  resolved: 'open',
  verified: 'open',
  returned: 'open',
  closed: 'closed',
  invalid: 'closed',
  duplicate: 'closed',
  cancelled: 'closed',
};

export function open311Status(state: CaseState): Open311Status {
  return OPEN311_STATUS[state];
}

/** The case states an Open311 status stands for. */
export function statesOf(status: Open311Status): CaseState[] {
  return (Object.entries(OPEN311_STATUS) as [CaseState, Open311Status][]).filter(([, s]) => s === status).map(([state]) => state);
}

/** What a service is made of: a case category and its group. */
export interface Open311CategoryFacts {
  key: string;
  name: string;
  nameEn: string | null;
  group: string;
  groupName: string;
  groupNameEn: string | null;
}

export function open311Service(c: Open311CategoryFacts): Open311Service {
  return {
    service_code: c.key,
    service_name: c.name,
    description: c.nameEn ? `${c.name} (${c.nameEn}) — ${c.groupName}` : `${c.name} — ${c.groupName}`,
    metadata: false,
    type: 'realtime',
    keywords: [...new Set([c.key, c.nameEn, c.group, c.groupNameEn].filter((k): k is string => Boolean(k)))].join(', '),
    group: c.groupName,
  };
}

/** The public facts of one case, and of the case it was merged into (whose status a duplicate reports). */
export interface Open311CaseFacts {
  code: string;
  category: string;
  description: string;
  address: string | null;
  location: [number, number];
  state: CaseState;
  reportedAt: Date;
  updatedAt: Date;
  /** The case it lives on in when merged away (followed to the end of a chain of merges); null otherwise. */
  survivor: Open311SurvivorFacts | null;
  /** The latest comment on its timeline that is not internal; null when none. */
  latestPublicComment: string | null;
  departmentName: string | null;
  resolveDueAt: Date | null;
}

export interface Open311SurvivorFacts {
  code: string;
  state: CaseState;
  updatedAt: Date;
  latestPublicComment: string | null;
  departmentName: string | null;
  resolveDueAt: Date | null;
}

/**
 * A case as a public Open311 service request. Only what the public may read: never the reporter,
 * their contact, internal notes or photos. A duplicate follows the case it was merged into: its
 * status, notes, department and deadline are the survivor's, as its reporter's problem is now
 * handled there.
 */
export function open311Request(c: Open311CaseFacts, serviceName: string): Open311ServiceRequest {
  const live = c.survivor ?? c;
  const mergedNote = c.survivor ? `Merged into ${c.survivor.code}, which reports the same problem.` : null;
  const notes = [mergedNote, live.latestPublicComment].filter((n): n is string => Boolean(n)).join(' ');
  const updated = c.survivor && c.survivor.updatedAt > c.updatedAt ? c.survivor.updatedAt : c.updatedAt;
  return {
    service_request_id: c.code,
    status: open311Status(live.state),
    status_notes: notes || null,
    service_name: serviceName,
    service_code: c.category,
    description: c.description,
    agency_responsible: live.departmentName,
    service_notice: null,
    requested_datetime: c.reportedAt.toISOString(),
    updated_datetime: updated.toISOString(),
    expected_datetime: open311Status(live.state) === 'open' ? (live.resolveDueAt?.toISOString() ?? null) : null,
    address: c.address,
    lat: c.location[1],
    long: c.location[0],
  };
}

/** Where a field of the case filing is, in the Open311 request's own names. */
const FIELD_NAMES: Record<string, string> = {
  category: 'service_code',
  location: 'lat/long',
  address: 'address_string',
  description: 'description',
};

/** A problem (as the API's error filter makes it) in the spec's error format: one error per problem found. */
export function open311Errors(problem: Pick<ProblemDetails, 'status' | 'title' | 'detail' | 'errors'>): Open311Error[] {
  const status = problem.status;
  if (status >= 500) return [{ code: status, description: problem.detail ?? problem.title }];
  if (problem.errors?.length) {
    return problem.errors.map((e) => {
      const field = FIELD_NAMES[e.path.split('.')[0]] ?? e.path;
      return { code: status, description: field === '(root)' ? e.message : `${field}: ${e.message}` };
    });
  }
  return [{ code: status, description: problem.detail ?? problem.title }];
}

/** The element of each item of the lists the answers hold. */
const XML_ITEMS: Readonly<Record<string, string>> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
};

/** The spec's content types: XML as `text/xml`. */
export const OPEN311_CONTENT_TYPES: Record<Open311Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/**
 * An answer in the format asked for. `root` is the XML document's element: a list's own name
 * (`services`, `service_requests`, `errors`) or the resource's (`discovery`, `service_definition`).
 */
export function renderOpen311(format: Open311Format, root: string, body: XmlValue): { contentType: string; text: string } {
  return {
    contentType: OPEN311_CONTENT_TYPES[format],
    text: format === 'xml' ? toXmlDocument(root, body, XML_ITEMS) : JSON.stringify(body),
  };
}

/** The format a path asks for by its extension; JSON for anything else (an error must be written somehow). */
export function open311FormatOfPath(path: string): Open311Format {
  return /\.xml$/i.test(path) ? 'xml' : 'json';
}
