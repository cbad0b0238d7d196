import { html, useState } from '../lib.js';
import { api } from '../api.js';
import { ErrorBox, Notice, Status, Time, Title, formValues, toInstant, useLoad } from '../ui.js';

/** A datetime-local value for 24 hours ago: the usual "since the outage began" starting point. */
function dayAgo() {
  const at = new Date(Date.now() - 24 * 3600 * 1000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

function FilterText({ filter }) {
  const parts = [(filter.statuses || []).join(', ')];
  if (filter.ruleId) {
    parts.push(`rule ${filter.ruleId}`);
  }
  if (filter.destination) {
    parts.push(`to ${filter.destination}`);
  }
  return html`<span>${parts.join(' · ')}</span><br /><span class="muted">created <${Time} at=${filter.since} />${' to '}
    <${Time} at=${filter.until} /></span>`;
}

/** Queued of matched so far; a bar once the job is finished and the number of matches is known. */
function Progress({ job }) {
  const text = `${job.queued} queued of ${job.matched} matched${job.status === 'running' ? ' so far' : ''}`;
  return html`<span>${text}</span>${job.status !== 'running' && job.matched > 0
    ? html` <progress max=${job.matched} value=${job.queued} aria-label=${'Replay ' + job.id + ': ' + text}></progress>` : ''}`;
}

/**
 * Bulk replay jobs (delivery's /api/v1/executions/replay): start one for a filter, watch its progress (polled), cancel
 * a running one. The server re-queues at the job's rate, across replicas, so closing the page stops nothing.
 */
export function Replays() {
  const [notice, setNotice] = useState('');
  const [actionError, setActionError] = useState(null);
  const { data, error, loading, reload } = useLoad(() => api('delivery', '/v1/executions/replay', { query: { limit: 50 } }),
    [], 2000);
  const start = async (event) => {
    const values = formValues(event);
    const body = { since: toInstant(values.since), status: values.status };
    if (values.until) {
      body.until = toInstant(values.until);
    }
    for (const name of ['ruleId', 'destination']) {
      if (values[name] && values[name].trim()) {
        body[name] = values[name].trim();
      }
    }
    if (values.ratePerSecond) {
      body.ratePerSecond = Number(values.ratePerSecond);
    }
    setActionError(null);
    try {
      const job = await api('delivery', '/v1/executions/replay', { method: 'POST', body });
      setNotice(`Replay ${job.id} started.`);
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  const cancel = async (job) => {
    if (!confirm(`Cancel replay ${job.id}? Nothing more is re-queued; what was queued is still delivered.`)) {
      return;
    }
    setActionError(null);
    try {
      await api('delivery', `/v1/executions/replay/${encodeURIComponent(job.id)}/cancel`, { method: 'POST' });
      setNotice(`Replay ${job.id} canceled.`);
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  const jobs = data ? data.items : [];
  return html`
    <${Title}>Replays</${Title}>
    <p class="lead">Send many finished executions again after an outage, as one job: each match is re-queued as a new
      attempt of the same execution, at most so many per second. Progress refreshes every 2 s.</p>
    <section aria-labelledby="start-replay">
      <h2 id="start-replay">Start a replay</h2>
      <form class="filters" onSubmit=${start} aria-label="Start a replay">
        <label>Created since <input type="datetime-local" name="since" value=${dayAgo()} required /></label>
        <label>Until (default: now) <input type="datetime-local" name="until" /></label>
        <label>Status <select name="status">
          <option value="FAILED">FAILED</option><option value="CANCELED">CANCELED</option>
          <option value="SUCCEEDED">SUCCEEDED</option></select></label>
        <label>Rule (ref or id) <input name="ruleId" placeholder="mypack.notify_ci" /></label>
        <label>Destination <input name="destination" placeholder="ci.example.com:443" /></label>
        <label>Executions per second <input type="number" name="ratePerSecond" min="1" max="1000" placeholder="50" /></label>
        <button type="submit">Start replay</button>
      </form>
    </section>
    <${Notice} text=${notice} />
    <${ErrorBox} error=${actionError || error} />
    ${loading ? html`<p class="muted">Loading…</p>` : html`
    <table class="list" aria-label="Replay jobs">
      <thead><tr><th scope="col">Job</th><th scope="col">Filter</th><th scope="col">Rate</th><th scope="col">Status</th>
        <th scope="col">Progress</th><th scope="col">Started</th><th scope="col">Finished</th><th scope="col">Action</th></tr></thead>
      <tbody>${jobs.length === 0
        ? html`<tr><td colspan="8" class="empty">No replay jobs yet.</td></tr>`
        : jobs.map((job) => html`<tr>
          <td><code>${job.id}</code></td>
          <td class="wrap"><${FilterText} filter=${job.filter} /></td>
          <td class="num">${job.ratePerSecond}/s</td>
          <td><${Status} value=${job.status} />${job.error ? html` <span class="bad">${job.error}</span>` : ''}</td>
          <td><${Progress} job=${job} /></td>
          <td><${Time} at=${job.createdAt} /></td>
          <td><${Time} at=${job.finishedAt} /></td>
          <td>${job.status === 'running' && html`<button type="button" class="small danger" onClick=${() => cancel(job)}
            aria-label=${'Cancel replay ' + job.id}>Cancel</button>`}</td>
        </tr>`)}</tbody>
    </table>`}`;
}
