/**
 * `sessions.series`: a session's series reduced to a chart's width over a range. A finished
 * session's whole range comes from the overview stored with it (store/summary.ts) — one row,
 * whatever the session's length; any other range, and a session still recording, is bucketed in
 * SQL over that range alone.
 */
import { ApiError } from '../api/contract';
import type { ReducedSeries, SeriesRequest } from '../api/types';
import type { Db } from '../store/database';
import type { SessionRepository } from '../store/sessions';
import {
  OVERVIEW_POINTS,
  coarsen,
  cycleRangeNs,
  reduceSeriesSql,
  sessionEndNs,
  sessionTotalsSql,
  type SeriesRange,
} from '../store/summary';

export function reducedSeries(db: Db, sessions: SessionRepository, request: SeriesRequest): ReducedSeries {
  const { id, points } = request;
  const recording = sessions.get(id)?.status === 'recording';
  // A recording's summary would be stale at once: only what this request needs is computed.
  const summary = recording ? null : sessions.summary(id);
  const endNs = summary?.durationNs ?? sessionEndNs(db, id);
  const totals = summary?.totals ?? sessionTotalsSql(db, id);

  let range: SeriesRange = { startNs: 0, endNs };
  if (request.fromSeq !== undefined && request.toSeq !== undefined) {
    const cycles = cycleRangeNs(db, id, request.fromSeq, request.toSeq);
    if (cycles === null) {
      throw new ApiError(
        'not-found',
        `session ${id} has no cycles numbered ${request.fromSeq} to ${request.toSeq}`,
      );
    }
    range = cycles;
  } else if (request.startNs !== undefined && request.endNs !== undefined) {
    range = { startNs: Math.max(0, request.startNs), endNs: Math.min(endNs, request.endNs) };
    if (range.endNs <= range.startNs) range = { startNs: range.startNs, endNs: range.startNs };
  }

  const whole = range.startNs === 0 && range.endNs === endNs;
  if (whole && summary !== null && points <= OVERVIEW_POINTS) return coarsen(summary.overview, points);
  return reduceSeriesSql(db, id, range, points, endNs, totals);
}
