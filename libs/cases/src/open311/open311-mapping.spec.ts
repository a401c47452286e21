import { CASE_STATES } from '@cityops/contracts';
import {
  open311Errors,
  open311FormatOfPath,
  open311Request,
  open311Service,
  open311Status,
  renderOpen311,
  statesOf,
  type Open311CaseFacts,
} from './open311-mapping';

const base: Open311CaseFacts = {
  code: 'GZ-TH-20261130-0001',
  category: 'garbage-pile',
  description: 'rubbish by the gate',
  address: '天河路 1 号',
  location: [113.33, 23.13],
  state: 'accepted',
  reportedAt: new Date('2026-11-30T01:00:00Z'),
  updatedAt: new Date('2026-11-30T02:00:00Z'),
  survivor: null,
  latestPublicComment: 'on our way',
  departmentName: '天河区城管局',
  resolveDueAt: new Date('2026-12-01T09:00:00Z'),
};

describe('Open311 status mapping', () => {
  it.each([
    ['reported', 'open'],
    ['dispatched', 'open'],
    ['accepted', 'open'],
    ['in_progress', 'open'],
    ['resolved', 'open'],
    ['verified', 'open'],
    ['returned', 'open'],
    ['closed', 'closed'],
    ['invalid', 'closed'],
    ['duplicate', 'closed'],
    ['cancelled', 'closed'],
  ] as const)('reports a case that is %s as %s', (state, status) => {
    expect(open311Status(state)).toBe(status);
  });

  it('maps every case state, and each state to exactly one status', () => {
    expect([...statesOf('open'), ...statesOf('closed')].sort()).toEqual([...CASE_STATES].sort());
  });
});

describe('a case as an Open311 service request', () => {
  it('shows the public facts: latest public comment, department, resolve deadline, lat and long from [lon, lat]', () => {
    expect(open311Request(base, '垃圾堆放')).toEqual({
      service_request_id: 'GZ-TH-20261130-0001',
      status: 'open',
      status_notes: 'on our way',
      service_name: '垃圾堆放',
      service_code: 'garbage-pile',
      description: 'rubbish by the gate',
      agency_responsible: '天河区城管局',
      service_notice: null,
      requested_datetime: '2026-11-30T01:00:00.000Z',
      updated_datetime: '2026-11-30T02:00:00.000Z',
      expected_datetime: '2026-12-01T09:00:00.000Z',
      address: '天河路 1 号',
      lat: 23.13,
      long: 113.33,
    });
  });

  it('has no expected_datetime once closed, and null notes without a public comment', () => {
    const closed = open311Request({ ...base, state: 'closed', latestPublicComment: null }, 'x');
    expect(closed).toMatchObject({ status: 'closed', status_notes: null, expected_datetime: null });
  });

  it('reports a duplicate with the status, notes, department and deadline of the case it was merged into', () => {
    const merged = open311Request(
      {
        ...base,
        state: 'duplicate',
        departmentName: null,
        survivor: {
          code: 'GZ-TH-20261130-0002',
          state: 'in_progress',
          updatedAt: new Date('2026-11-30T05:00:00Z'),
          latestPublicComment: 'crew on site',
          departmentName: '天河区城管局',
          resolveDueAt: new Date('2026-12-02T09:00:00Z'),
        },
      },
      'x',
    );
    expect(merged).toMatchObject({
      service_request_id: 'GZ-TH-20261130-0001',
      status: 'open',
      status_notes: 'Merged into GZ-TH-20261130-0002, which reports the same problem. crew on site',
      agency_responsible: '天河区城管局',
      expected_datetime: '2026-12-02T09:00:00.000Z',
      updated_datetime: '2026-11-30T05:00:00.000Z',
    });
  });
});

describe('Open311 services and errors', () => {
  it('makes a category a realtime service without metadata, grouped by its group’s name', () => {
    expect(
      open311Service({
        key: 'noise',
        name: '噪音扰民',
        nameEn: 'Noise',
        group: 'urban',
        groupName: '城管',
        groupNameEn: 'Urban management',
      }),
    ).toEqual({
      service_code: 'noise',
      service_name: '噪音扰民',
      description: '噪音扰民 (Noise) — 城管',
      metadata: false,
      type: 'realtime',
      keywords: 'noise, Noise, urban, Urban management',
      group: '城管',
    });
  });

  it('turns each validation problem into one error, in the request’s own field names', () => {
    expect(
      open311Errors({
        status: 400,
        title: 'Validation failed',
        errors: [
          { path: 'category', message: 'no such category in use' },
          { path: 'location', message: 'outside every grid of the city' },
          { path: '(root)', message: 'send a form' },
        ],
      }),
    ).toEqual([
      { code: 400, description: 'service_code: no such category in use' },
      { code: 400, description: 'lat/long: outside every grid of the city' },
      { code: 400, description: 'send a form' },
    ]);
    expect(open311Errors({ status: 403, title: 'Forbidden', detail: 'Invalid api_key.' })).toEqual([
      { code: 403, description: 'Invalid api_key.' },
    ]);
    expect(open311Errors({ status: 500, title: 'Internal server error' })).toEqual([{ code: 500, description: 'Internal server error' }]);
  });

  it('answers in the format of the path’s extension, JSON when it has none', () => {
    expect(open311FormatOfPath('/open311/v2/services.XML')).toBe('xml');
    expect(open311FormatOfPath('/open311/v2/services.csv')).toBe('json');
    expect(renderOpen311('xml', 'errors', [{ code: 404, description: 'a <b>' }])).toEqual({
      contentType: 'text/xml; charset=utf-8',
      text: '<?xml version="1.0" encoding="UTF-8"?>\n<errors><error><code>404</code><description>a &lt;b&gt;</description></error></errors>\n',
    });
    expect(renderOpen311('json', 'errors', [{ code: 404, description: 'x' }])).toEqual({
      contentType: 'application/json; charset=utf-8',
      text: '[{"code":404,"description":"x"}]',
    });
  });
});
