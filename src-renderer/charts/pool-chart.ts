import type { ChartConfiguration, ChartDataset, TooltipItem } from 'chart.js';
import { CYCLE_CHART_OPTIONS, legendOptions, timeScale, tooltipColors, valueScale } from './common';
import { translucent, type ChartPalette } from './palette';
import { intervalTitle, spanIndexOfStep, firstFromMs } from './series/cycles';
import { formatCount, formatPercent } from './series/format';
import type { XY } from './series/heap';
import { poolHits, type PoolDetail, type PoolSeries } from './series/pool';
import { timeAxisTitle, type TimeAxisName } from '../lib/time-axis';

type Item = TooltipItem<'line'>;

function objects(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'object' : 'objects'}`;
}

function share(count: number, detail: PoolDetail): string {
  return detail.gets > 0 ? formatPercent(count / detail.gets) : '—';
}

/**
 * Two panels on one time axis: above, the share of each interval's Gets by where they were served
 * (stacked to 100 % with the misses, the hit rate as a line on top of the hits); below, the victim
 * cache's hits and drops as object counts, because a few victim hits in thousands of Gets would be
 * a hairline in the stack.
 */
export function poolChartConfig(
  series: PoolSeries,
  palette: ChartPalette,
  timeAxis: TimeAxisName,
): ChartConfiguration<'line', XY[]> {
  const step = { stepped: 'after' as const, pointRadius: 0, pointHoverRadius: 0 };
  const shareArea = (
    label: string,
    data: XY[],
    color: string,
    first = false,
  ): ChartDataset<'line', XY[]> => ({
    label,
    data,
    yAxisID: 'y',
    stack: 'gets',
    fill: first ? 'origin' : '-1',
    borderColor: color,
    backgroundColor: translucent(color, 0.85),
    borderWidth: 0,
    ...step,
  });
  const detailOf = (item: Item) => series.details[spanIndexOfStep(item.dataIndex)] as PoolDetail;
  const labels: ((d: PoolDetail) => string)[] = [
    (d) => `private slot: ${share(d.hitsPrivate, d)} (${formatCount(d.hitsPrivate)})`,
    (d) => `own shared chain: ${share(d.hitsShared, d)} (${formatCount(d.hitsShared)})`,
    (d) => `stolen from another P: ${share(d.hitsStolen, d)} (${formatCount(d.hitsStolen)})`,
    (d) => `victim cache: ${share(d.hitsVictim, d)} (${formatCount(d.hitsVictim)})`,
    (d) => `miss, New called: ${share(d.misses, d)} (${formatCount(d.misses)})`,
    (d) => `hit rate: ${share(poolHits(d), d)}`,
    (d) => `victim hits: ${objects(d.hitsVictim)} reused after a GC`,
    (d) => `dropped with the victim: ${objects(d.dropped)}`,
  ];

  return {
    type: 'line',
    data: {
      datasets: [
        shareArea('private', series.privatePct, palette.poolPrivate, true),
        shareArea('shared', series.sharedPct, palette.poolShared),
        shareArea('stolen', series.stolenPct, palette.poolStolen),
        shareArea('victim', series.victimPct, palette.poolVictim),
        shareArea('miss (New)', series.missPct, palette.poolMiss),
        {
          label: 'hit rate',
          data: series.hitRatePct,
          yAxisID: 'y',
          stack: 'hit-rate',
          borderColor: palette.hitRate,
          backgroundColor: palette.hitRate,
          borderWidth: 1.5,
          fill: false,
          ...step,
        },
        {
          label: 'victim hits',
          data: series.victimHits,
          yAxisID: 'yVictim',
          borderColor: palette.poolVictim,
          backgroundColor: translucent(palette.poolVictim, 0.35),
          borderWidth: 1.5,
          fill: 'origin',
          ...step,
        },
        {
          label: 'dropped with victim',
          data: series.dropped,
          yAxisID: 'yVictim',
          borderColor: palette.poolDropped,
          backgroundColor: palette.poolDropped,
          borderDash: [4, 3],
          borderWidth: 1.25,
          fill: false,
          ...step,
        },
      ],
    },
    options: {
      ...CYCLE_CHART_OPTIONS,
      interaction: { mode: 'cycleInterval', intersect: false },
      scales: {
        x: timeScale(palette, series.endMs, timeAxisTitle(timeAxis), firstFromMs(series.details)),
        // Stacked scales are laid out bottom-up in the order they are declared.
        yVictim: {
          ...valueScale(palette, 'victim (obj.)'),
          stack: 'pool',
          stackWeight: 1.2,
          offset: true,
          ticks: { ...valueScale(palette, '').ticks, precision: 0, maxTicksLimit: 3 },
        },
        y: {
          ...valueScale(palette, '% of Gets'),
          stack: 'pool',
          stackWeight: 3,
          stacked: true,
          offset: true,
          min: 0,
          max: 100,
          ticks: { ...valueScale(palette, '').ticks, stepSize: 25, callback: (value) => `${value}%` },
        },
      },
      plugins: {
        legend: legendOptions(palette),
        tooltip: {
          ...tooltipColors(palette),
          callbacks: {
            title: (items) => (items[0] ? intervalTitle(detailOf(items[0])) : ''),
            label: (item) => labels[item.datasetIndex]?.(detailOf(item)) ?? '',
            footer: (items) => {
              const first = items[0];
              if (!first) return '';
              const d = detailOf(first);
              return `${formatCount(d.gets)} Gets, ${formatCount(d.puts)} Puts`;
            },
          },
        },
      },
    },
  };
}
