import { useAreaDirectory } from '../scope/AreaDirectory';
import { AreaField } from '../scope/AreaField';

/**
 * The shared area finder for fields that hold an area's id (scenes name areas by id, the finder
 * by code). An id whose area is not loaded yet (a grid) shows as `#id` until it is.
 */
export function AreaIdField({ areaId, onChange, label }: { areaId: number | null; onChange: (id: number | null) => void; label: string }) {
  const directory = useAreaDirectory();
  const code = areaId === null ? null : (directory.index.byId.get(areaId)?.code ?? `#${areaId}`);
  return (
    <AreaField
      code={code}
      label={label}
      onChange={(chosen) => onChange(chosen === null ? null : (directory.index.byCode.get(chosen)?.id ?? null))}
    />
  );
}
