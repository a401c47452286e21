import type { IndicatorDefinitionView, IndicatorPreview, IndicatorWriteInput } from '@cityops/contracts';
import { apiRequest } from './client';

export type { IndicatorDefinitionView, IndicatorPreview, IndicatorWriteInput } from '@cityops/contracts';

const indicatorPath = (key: string) => `/api/indicators/${encodeURIComponent(key)}`;

export function fetchIndicators(signal?: AbortSignal): Promise<IndicatorDefinitionView[]> {
  return apiRequest<IndicatorDefinitionView[]>('/api/indicators', { signal });
}

export function createIndicator(definition: IndicatorWriteInput): Promise<IndicatorDefinitionView> {
  return apiRequest<IndicatorDefinitionView>('/api/indicators', { method: 'POST', body: definition });
}

/** PUT replaces the definition whole; the key is in the path, not the body. */
export function replaceIndicator(definition: IndicatorWriteInput): Promise<IndicatorDefinitionView> {
  const { key, ...rest } = definition;
  return apiRequest<IndicatorDefinitionView>(indicatorPath(key), { method: 'PUT', body: rest });
}

export function deleteIndicator(key: string): Promise<IndicatorDefinitionView> {
  return apiRequest<IndicatorDefinitionView>(indicatorPath(key), { method: 'DELETE' });
}

export function previewIndicator(definition: IndicatorWriteInput, signal?: AbortSignal): Promise<IndicatorPreview> {
  return apiRequest<IndicatorPreview>('/api/indicators/preview', { method: 'POST', body: definition, signal });
}
