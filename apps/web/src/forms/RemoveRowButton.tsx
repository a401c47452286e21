/** `list` without its `index`-th item: what a row editor keeps when a row is removed. */
export function withoutIndex<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, j) => j !== index);
}

/** A row editor's remove button (thresholds, layers, KPI tiles, rotation stops). */
export function RemoveRowButton({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <button type="button" className="quiet-button" onClick={onRemove}>
      {label}
    </button>
  );
}
