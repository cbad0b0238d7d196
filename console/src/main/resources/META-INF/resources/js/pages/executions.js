import { html, useState } from '../lib.js';
import { api, allPages } from '../api.js';
import { ErrorBox, Status, Time, Title, formValues, linkTo, routeQuery, toInstant, useLoad } from '../ui.js';
import { retryAll } from '../bulk.js';

const STATUSES = ['PENDING', 'RUNNING', 'RETRYING', 'SUCCEEDED', 'FAILED', 'CANCELED'];
const POLL_MS = 3000;

function apiQuery(filters) {
  return {
    status: filters.status,
    rule: filters.rule,
    host: filters.host,
    triggerInstance: filters.triggerInstance,
    since: toInstant(filters.since),
    until: toInstant(filters.until),
  };
}

/** Retries every execution of the filtered set that can be retried, a few at a time, showing progress. */
function BulkRetry({ filters, onDone }) {
  const [state, setState] = useState(null);
  const retryable = filters.status === 'FAILED' || filters.status === 'CANCELED';
  const start = async () => {
    setState({ phase: 'listing', done: 0, failed: 0, total: 0, errors: [] });
    let items;
    try {
      items = await allPages('delivery', '/v1/executions', apiQuery(filters));
    } catch (e) {
      setState({ phase: 'error', error: e });
      return;
    }
    if (!confirm(`Retry ${items.length} ${filters.status} execution(s) matching these filters?`)) {
      setState(null);
      return;
    }
    const result = await retryAll(items.map((item) => item.id), (progress) => setState({ phase: 'running', ...progress }));
    setState({ phase: 'finished', ...result });
    onDone();
  };
  if (!retryable) {
    return html`<p class="muted bulk">Bulk retry: filter by status FAILED or CANCELED (and a rule, destination or time) to retry
      the whole set.</p>`;
  }
  return html`<div class="bulk">
    <button type="button" onClick=${start} disabled=${state && (state.phase === 'listing' || state.phase === 'running')}>
      Retry every ${filters.status} execution matching these filters</button>
    ${state && state.phase === 'listing' && html`<span role="status">Listing the executions…</span>`}
    ${state && (state.phase === 'running' || state.phase === 'finished') && html`
      <label class="progress">Retried <progress max=${state.total} value=${state.done + state.failed}></progress>
        <span role="status">${state.done} of ${state.total} retried${state.failed ? `, ${state.failed} refused` : ''}${state.phase === 'finished' ? ' — done' : ''}</span></label>`}
    ${state && state.errors && state.errors.length > 0 && html`<ul class="error">${state.errors.slice(0, 5).map((e) => html`<li>${e}</li>`)}</ul>`}
    ${state && state.phase === 'error' && html`<${ErrorBox} error=${state.error} />`}
    <p class="muted">The console retries them one request each, four at a time (a server-side replay is planned in issue 16).</p>
  </div>`;
}

export function Executions() {
  const filters = routeQuery();
  const [live, setLive] = useState(filters.live !== 'off');
  const [more, setMore] = useState({ items: [], next: null });
  const { data, error, loading, reload } = useLoad(
    () => api('delivery', '/v1/executions', { query: { ...apiQuery(filters), limit: 50 } }),
    [JSON.stringify(filters)], live ? POLL_MS : 0);
  const destinations = useLoad(() => api('delivery', '/v1/destinations'), []);
  const apply = (event) => {
    location.hash = linkTo('/executions', { ...formValues(event), live: live ? '' : 'off' });
  };
  const loadMore = async () => {
    const page = await api('delivery', '/v1/executions', {
      query: { ...apiQuery(filters), limit: 50, cursor: more.next || data.nextCursor } });
    setMore({ items: [...more.items, ...page.items], next: page.nextCursor });
  };
  const rows = data ? [...data.items, ...more.items] : [];
  const next = more.items.length ? more.next : data && data.nextCursor;
  const hosts = destinations.data ? destinations.data.items.map((d) => d.destination.replace(/:\d+$/, '')) : [];
  return html`
    <${Title}>Executions</${Title}>
    <p class="lead">What was sent, and what came back? Every outbound request delivery-service made or will make.</p>
    <form class="filters" onSubmit=${apply} aria-label="Filter executions">
      <label>Status <select name="status" value=${filters.status || ''}>
        <option value="">any</option>${STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}</select></label>
      <label>Rule <input name="rule" value=${filters.rule || ''} placeholder="pack.name" /></label>
      <label>Destination host <input name="host" list="known-hosts" value=${filters.host || ''} placeholder="hooks.example.com" />
        <datalist id="known-hosts">${[...new Set(hosts)].map((h) => html`<option value=${h} />`)}</datalist></label>
      <label>Since <input type="datetime-local" step="1" name="since" value=${filters.since || ''} /></label>
      <label>Until <input type="datetime-local" step="1" name="until" value=${filters.until || ''} /></label>
      ${filters.triggerInstance && html`<input type="hidden" name="triggerInstance" value=${filters.triggerInstance} />`}
      <button type="submit">Apply</button>
      <a class="button secondary" href="#/executions">Clear</a>
    </form>
    <p class="toolbar">
      <label><input type="checkbox" checked=${live} onChange=${(e) => setLive(e.target.checked)} /> Live (refresh every ${POLL_MS / 1000} s)</label>
      ${filters.triggerInstance && html` Showing the executions of trigger instance <code>${filters.triggerInstance}</code>.`}
    </p>
    <${BulkRetry} filters=${filters} onDone=${reload} />
    <${ErrorBox} error=${error} />
    ${loading ? html`<p class="muted">Loading…</p>` : html`
    <table class="list" aria-label="Executions">
      <thead><tr><th scope="col">Created</th><th scope="col">Rule</th><th scope="col">Destination</th>
        <th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last error</th><th scope="col">Execution</th></tr></thead>
      <tbody>${rows.length === 0
        ? html`<tr><td colspan="7" class="empty">No executions match these filters.</td></tr>`
        : rows.map((item) => html`<tr>
          <td><${Time} at=${item.createdAt} /></td>
          <td><code>${item.ruleRef}</code></td>
          <td>${item.destinationHost}</td>
          <td><${Status} value=${item.status} /></td>
          <td class="num">${item.attemptCount}</td>
          <td class="wrap">${item.lastError || ''}</td>
          <td><a href=${'#/executions/' + item.id}>${item.id.slice(0, 13)}…</a></td>
        </tr>`)}</tbody>
    </table>
    ${next && html`<button type="button" class="secondary" onClick=${loadMore}>Load more</button>`}`}`;
}
