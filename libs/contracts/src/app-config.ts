/** `GET /api/app-config`: what a client needs to draw the city before any data arrives. */
export interface AppConfigView {
  /** A MapLibre style to draw under our layers; null = our own layers only (offline). */
  basemapStyleUrl: string | null;
  city: {
    name: string;
    nameEn: string;
    center: [number, number];
    bounds: [[number, number], [number, number]];
  };
  /** True while the areas are the generated demo city. */
  demo: boolean;
}
