import type { AuditEventView } from '@cityops/contracts';

/** Spreadsheet programs read a file with this mark as UTF-8 (without it, Excel shows Chinese as mojibake). */
export const UTF8_BOM = '\uFEFF';

export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'actor_kind',
  'actor_id',
  'actor_name',
  'actor_roles',
  'action',
  'target_type',
  'target_id',
  'outcome',
  'client_address',
  'request_id',
  'before',
  'after',
  'detail',
] as const;

// What a spreadsheet may take for a formula (OWASP "CSV injection"): = + - @, and tab or CR before one.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: text that could start a formula gets a leading apostrophe; quoted when it holds , " CR or LF (RFC 4180). */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** One event as a CSV line (with its CRLF). */
export function auditCsvLine(e: AuditEventView): string {
  const cells: (string | number | null)[] = [
    e.id,
    e.at,
    e.actorKind,
    e.actorId,
    e.actorName,
    e.actorRoles.join(' '),
    e.action,
    e.targetType,
    e.targetId,
    e.outcome,
    e.clientAddress,
    e.requestId,
    json(e.before),
    json(e.after),
    json(e.detail),
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The first line of the file: the byte-order mark and the header row. */
export function auditCsvHeader(): string {
  return `${UTF8_BOM}${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
}
