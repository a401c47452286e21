import '../catalog/catalog.css';
import '../admin/admin.css';
import { SilencesGate } from './SilencesGate';
import './silences.css';

/** `/silences` with its styles (a chunk of its own: other pages do not load it). */
export function SilencesRoute() {
  return <SilencesGate />;
}
