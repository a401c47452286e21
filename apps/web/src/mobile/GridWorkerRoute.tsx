import { GridWorkerGate } from './GridWorkerGate';
import './grid-worker.css';

/** `/m` with its styles (a chunk of its own: other pages do not load it). */
export function GridWorkerRoute() {
  return <GridWorkerGate />;
}
