import { html, useState } from '../lib.js';
import { api } from '../api.js';
import { ErrorBox, HeaderTable, Json, Notice, Status, Time, Title, useLoad } from '../ui.js';

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

function RequestView({ request }) {
  if (!request) {
    return html`<p class="muted">No request recorded.</p>`;
  }
  const { method, url, headers, body, ...rest } = request;
  return html`<div class="request">
    <p><code class="method">${method}</code> <code class="wrap">${url}</code></p>
    <${HeaderTable} headers=${headers} caption="Request headers (secrets masked)" />
    ${body !== undefined && body !== null && html`<h4>Body</h4><pre class="code" tabindex="0">${typeof body === 'string' ? body : JSON.stringify(body, null, 2)}</pre>`}
    ${Object.keys(rest).length > 0 && html`<h4>Options</h4><${Json} value=${rest} label="Request options" />`}
  </div>`;
}

function Attempt({ attempt, open }) {
  return html`<details class="attempt" open=${open}>
    <summary>Attempt ${attempt.number}: <${Status} value=${attempt.outcome} />
      ${attempt.responseStatus ? ` HTTP ${attempt.responseStatus}` : ''} · ${attempt.durationMs} ms ·${' '}
      <${Time} at=${attempt.startedAt} />${attempt.error ? ` · ${attempt.error}` : ''}</summary>
    ${attempt.error && html`<p class="bad">Error: ${attempt.error}</p>`}
    <h4>Request as sent</h4>
    <${RequestView} request=${attempt.request} />
    <h4>Response</h4>
    ${attempt.responseStatus ? html`
      <p>Status <strong>${attempt.responseStatus}</strong></p>
      <${HeaderTable} headers=${attempt.responseHeaders} caption="Response headers" />
      <h4>Body (first 4 KiB)</h4>
      ${attempt.responseBody ? html`<pre class="code" tabindex="0">${attempt.responseBody}</pre>` : html`<p class="muted">Empty.</p>`}`
      : html`<p class="muted">No response.</p>`}
  </details>`;
}

export function ExecutionPage({ id }) {
  const [notice, setNotice] = useState('');
  const [actionError, setActionError] = useState(null);
  const [polling, setPolling] = useState(true);
  const { data, error, loading, reload } = useLoad(
    () => api('delivery', `/v1/executions/${encodeURIComponent(id)}`).then((execution) => {
      setPolling(!FINAL.has(execution.status));
      return execution;
    }), [id], polling ? 2000 : 0);
  const act = async (action) => {
    setActionError(null);
    try {
      const answer = await api('delivery', `/v1/executions/${encodeURIComponent(id)}/${action}`, { method: 'POST' });
      setNotice(action === 'retry' ? `Retry scheduled: the execution is ${answer ? answer.status : 'due'} again.` : 'Execution canceled.');
      setPolling(true);
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  if (loading) {
    return html`<${Title}>Execution</${Title}><p class="muted">Loading…</p>`;
  }
  if (!data) {
    return html`<${Title}>Execution</${Title}><${ErrorBox} error=${error} /><p><a href="#/executions">Back to executions</a></p>`;
  }
  const execution = data;
  const canRetry = execution.status === 'FAILED' || execution.status === 'CANCELED';
  const canCancel = ['PENDING', 'RETRYING', 'RUNNING'].includes(execution.status);
  const attempts = execution.attempts || [];
  return html`
    <p><a href="#/executions">← Executions</a></p>
    <${Title}>Execution <code>${execution.id}</code></${Title}>
    <div class="actions">
      <button type="button" onClick=${() => act('retry')} disabled=${!canRetry}>Retry</button>
      <button type="button" class="danger" onClick=${() => confirm('Cancel this execution?') && act('cancel')} disabled=${!canCancel}>Cancel</button>
      <${Notice} text=${notice} />
    </div>
    <${ErrorBox} error=${actionError || error} />
    <dl class="facts">
      <dt>Status</dt><dd><${Status} value=${execution.status} />${polling ? html` <span class="muted">(refreshing)</span>` : ''}</dd>
      <dt>Rule</dt><dd><a href=${'#/rules/' + encodeURIComponent(execution.ruleRef)}>${execution.ruleRef}</a></dd>
      <dt>Trigger instance</dt><dd><a href=${'#/arrivals/' + encodeURIComponent(execution.triggerInstanceId)}>${execution.triggerInstanceId}</a>${' '}
        (<code>${execution.trigger}</code>)</dd>
      <dt>Lane</dt><dd>${execution.lane
        ? html`<code>${execution.lane.key}</code> <span class="muted">(place ${execution.lane.seq}; sent only after every earlier execution of this rule and key is final)</span>`
        : html`<span class="muted">unordered</span>`}</dd>
      <dt>Destination</dt><dd>${execution.destinationHost}</dd>
      <dt>Attempts</dt><dd>${execution.attemptCount}</dd>
      <dt>Next attempt</dt><dd><${Time} at=${execution.nextAttemptAt} /></dd>
      <dt>Last error</dt><dd class="wrap">${execution.lastError || '—'}</dd>
      <dt>Created</dt><dd><${Time} at=${execution.createdAt} /></dd>
      <dt>Finished</dt><dd><${Time} at=${execution.finishedAt} /></dd>
    </dl>
    <h2>Status history</h2>
    <ol class="history">${(execution.transitions || []).map((t) => html`<li>
      <${Time} at=${t.at} />: ${t.from ? html`<${Status} value=${t.from} /> → ` : 'created '}<${Status} value=${t.to} /></li>`)}</ol>
    <h2>Attempts (${attempts.length})</h2>
    ${attempts.length === 0 ? html`<p class="muted">No attempt yet.</p>`
      : attempts.map((attempt, index) => html`<${Attempt} attempt=${attempt} open=${index === attempts.length - 1} />`)}
    <h2>Request to send</h2>
    <${RequestView} request=${execution.request} />`;
}
