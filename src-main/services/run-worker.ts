/** Worker-thread entry: records one run on its own database connection. */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openDatabase } from '../store/database';
import { recordRun } from './record-run';
import type { FromWorker, RunWorkerData, ToWorker } from './run-protocol';

const port = parentPort;
if (port === null) throw new Error('run-worker must be started as a worker thread');

const { dbPath, nativeBinding, sessionId, config } = workerData as RunWorkerData;
let cancelled = false;
port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') cancelled = true;
});

async function main(workerPort: MessagePort): Promise<void> {
  const db = openDatabase(dbPath, { nativeBinding });
  try {
    const done = await recordRun(db, sessionId, config, {
      isCancelled: () => cancelled,
      report: (message: FromWorker) => workerPort.postMessage(message),
      yieldTurn: () => new Promise((resolve) => setImmediate(resolve)),
      wallNowMs: () => performance.now(),
    });
    workerPort.postMessage(done);
  } finally {
    db.close();
    workerPort.close();
  }
}

// An error escaping main() reaches the service as the worker's 'error' event.
void main(port);
