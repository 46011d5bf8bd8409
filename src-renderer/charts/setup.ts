import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Decimation,
  Filler,
  Interaction,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import { playbackCursorPlugin } from './cursor-plugin';
import { cycleIntervalMode } from './interval-mode';

// Only what the charts use, so the bundle leaves the rest of Chart.js out.
Chart.register(
  LineController,
  BarController,
  LineElement,
  PointElement,
  BarElement,
  LinearScale,
  CategoryScale,
  Tooltip,
  Legend,
  Decimation,
  Filler,
  LogarithmicScale,
  playbackCursorPlugin,
);
Interaction.modes.cycleInterval = cycleIntervalMode;

Chart.defaults.font.family =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
Chart.defaults.font.size = 11;

export { Chart };
