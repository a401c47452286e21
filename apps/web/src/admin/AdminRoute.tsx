import '../catalog/catalog.css';
import { AdminGate } from './AdminGate';
import './admin.css';
import './indicators/indicators.css';
import './scenes/scenes.css';

/** `/admin` and its sections, with their styles (a chunk of its own: other pages do not load it). */
export function AdminRoute() {
  return <AdminGate />;
}
