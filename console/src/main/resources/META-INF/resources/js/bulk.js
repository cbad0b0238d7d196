import { api } from './api.js';

/**
 * POSTs a retry for each id with at most `concurrency` requests in flight, reporting progress after each answer. A
 * refusal (e.g. 409: it was retried meanwhile) is counted and kept, and the rest go on.
 */
export async function retryAll(ids, onProgress, concurrency = 4) {
  const progress = { total: ids.length, done: 0, failed: 0, errors: [] };
  onProgress({ ...progress });
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      try {
        await api('delivery', `/v1/executions/${encodeURIComponent(id)}/retry`, { method: 'POST' });
        progress.done++;
      } catch (e) {
        progress.failed++;
        progress.errors.push(`${id}: ${e.message}`);
      }
      onProgress({ ...progress, errors: [...progress.errors] });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return progress;
}
