import type { ReactNode } from 'react';

export interface DataColumn {
  label: string;
  /** Right-aligned figures. */
  numeric?: boolean;
}

/** The catalog's table: scrolls sideways on narrow screens; rows (one or more tbody) are the children. */
export function DataTable({ columns, className, children }: { columns: DataColumn[]; className?: string; children: ReactNode }) {
  return (
    <div className="table-scroll">
      <table className={className ? `data-table ${className}` : 'data-table'}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} className={c.numeric ? 'num' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        {children}
      </table>
    </div>
  );
}
