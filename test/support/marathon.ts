import { feedToken } from './stack';

export interface Segment {
  id: number;
  code: string;
  capacity: number;
  seq: number;
}

export async function segments(url: string, token: string): Promise<Segment[]> {
  const res = await fetch(`${url}/api/areas?zoneSet=gz-marathon`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as Segment[];
}

/** Posts one headcount per segment, as the outside counting system does. */
export async function postHeadcounts(url: string, counts: { code: string; headcount: number }[], ts = new Date()): Promise<Response> {
  const records = counts.map((c) => ({
    id: `${c.code}-${ts.getTime()}`,
    entity: c.code,
    metric: 'headcount',
    value: c.headcount,
    ts: ts.toISOString(),
    area: c.code,
  }));
  return fetch(`${url}/api/feeds/marathon-crowd/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${feedToken}` },
    body: JSON.stringify({ records }),
  });
}
