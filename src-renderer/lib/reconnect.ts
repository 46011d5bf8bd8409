import { api } from './api';

/**
 * Calls `callback` each time the event channel comes back after being down (including the first
 * connect in browser mode), so a view can reload what it may have missed events about.
 */
export function onReconnect(callback: () => void): () => void {
  let down = false;
  return api.onConnection((status) => {
    if (status !== 'open') {
      down = true;
    } else if (down) {
      down = false;
      callback();
    }
  });
}
