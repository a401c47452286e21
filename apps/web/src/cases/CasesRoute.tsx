import '../catalog/catalog.css';
import '../admin/admin.css';
import { CasesGate } from './CasesGate';
import './cases.css';

/** `/cases` and `/cases/<code>` with their styles (a chunk of its own: other pages do not load it). */
export function CasesRoute() {
  return <CasesGate />;
}
