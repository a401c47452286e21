import type { AuditEventView } from '@cityops/contracts';
import { auditCsvHeader, auditCsvLine, csvCell } from './audit-csv';

const event: AuditEventView = {
  id: 7,
  at: '2026-01-02T03:04:05.000Z',
  actorKind: 'user',
  actorId: 'u-1',
  actorName: '李雷',
  actorRoles: ['admin', 'analyst'],
  action: 'feed.update',
  targetType: 'feed',
  targetId: 'air',
  before: { name: 'a' },
  after: { name: 'b, "c"' },
  outcome: 'success',
  clientAddress: '10.0.0.5',
  requestId: 'r-1',
  detail: null,
};

describe('the audit CSV', () => {
  it.each([
    ['plain text', 'air', 'air'],
    ['a number', 42, '42'],
    ['nothing', null, ''],
    ['a comma', 'a,b', '"a,b"'],
    ['quotes', 'say "hi"', '"say ""hi"""'],
    ['a line break', 'one\ntwo', '"one\ntwo"'],
    ['a formula', '=1+1', "'=1+1"],
    ['a plus', '+86 138', "'+86 138"],
    ['a minus', '-2', "'-2"],
    ['an at', '@SUM(A1)', "'@SUM(A1)"],
    ['a tab first', '\t=1', "'\t=1"],
    ['a formula with a comma and quotes', '=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
  ])('writes %s as a cell that means only itself', (_name, value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('starts with a byte-order mark and the header row', () => {
    expect(auditCsvHeader()).toBe(
      '\uFEFFid,at,actor_kind,actor_id,actor_name,actor_roles,action,target_type,target_id,outcome,client_address,request_id,before,after,detail\r\n',
    );
  });

  it('writes one event as one line: roles joined, changes as JSON', () => {
    expect(auditCsvLine(event)).toBe(
      '7,2026-01-02T03:04:05.000Z,user,u-1,李雷,admin analyst,feed.update,feed,air,success,10.0.0.5,r-1,' +
        '"{""name"":""a""}","{""name"":""b, \\""c\\""""}",\r\n',
    );
  });
});
