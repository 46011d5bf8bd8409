import type { InteractionItem, InteractionModeFunction } from 'chart.js';
import { stepIndexAt } from './series/cycles';
import type { XY } from './series/heap';

declare module 'chart.js' {
  interface InteractionModeMap {
    /** The points, one per dataset, of the cycle interval under the pointer (see `intervalSteps`). */
    cycleInterval: InteractionModeFunction;
  }
}

/**
 * Chart.js's `index` and `nearest` modes pick the point nearest the pointer, which for a value held
 * over an interval is as often the next interval's as its own: this mode picks the interval the
 * pointer is in.
 */
export const cycleIntervalMode: InteractionModeFunction = (chart, event) => {
  const scale = chart.scales.x;
  const { chartArea } = chart;
  if (!scale || event.x === null || event.y === null) return [];
  if (event.x < chartArea.left || event.x > chartArea.right) return [];
  if (event.y < chartArea.top || event.y > chartArea.bottom) return [];
  const x = scale.getValueForPixel(event.x);
  if (x === undefined) return [];
  const items: InteractionItem[] = [];
  chart.data.datasets.forEach((dataset, datasetIndex) => {
    if (!chart.isDatasetVisible(datasetIndex)) return;
    const points = dataset.data as XY[];
    const index = stepIndexAt(points, x);
    const element = chart.getDatasetMeta(datasetIndex).data[index];
    if (element && Number.isFinite(points[index]?.y)) items.push({ element, datasetIndex, index });
  });
  return items;
};
