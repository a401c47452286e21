export * from './scene.exception';
export * from './scene.service';
export * from './scenes.module';
export { zoneSetLayers, type ZoneSetLayerView } from './zone-set-layers';
