import { html, useState } from '../lib.js';
import { api } from '../api.js';
import { ErrorBox, Status, Time, Title, formValues, linkTo, routeQuery, toInstant, useLoad } from '../ui.js';

const MATCHED = { matched: 'processed', not_matched: 'no_rule_matched', failed: 'failed', dropped: 'dropped' };
const URL_PAGES = 10;

function normaliseUrl(url) {
  return String(url || '').replace(/^\/+|\/+$/g, '');
}

/**
 * Trigger instances, newest first. The API filters by trigger, status and time; a webhook url is a parameter of the
 * core.st2.webhook trigger that the API does not filter on, so the console reads pages of that trigger and keeps the
 * url's instances (up to URL_PAGES pages per screen, then "Load more").
 */
async function loadPage(filters, cursor) {
  const url = normaliseUrl(filters.url);
  const query = {
    trigger: filters.trigger || (url ? 'core.st2.webhook' : ''),
    status: MATCHED[filters.match] || '',
    since: filters.since ? toInstant(filters.since) : '',
    until: filters.until ? toInstant(filters.until) : '',
    limit: 50,
  };
  const items = [];
  let next = cursor;
  let pages = 0;
  do {
    const page = await api('rules', '/v1/triggerinstances', { query: { ...query, cursor: next } });
    items.push(...page.items.filter((item) => !url || normaliseUrl(item.parameters && item.parameters.url) === url));
    next = page.nextCursor;
    pages++;
  } while (url && next && items.length < 50 && pages < URL_PAGES);
  return { items, next };
}

export function Arrivals() {
  const filters = routeQuery();
  const [more, setMore] = useState({ items: [], next: undefined, error: null });
  const { data, error, loading } = useLoad(() => loadPage(filters), [JSON.stringify(filters)]);
  const apply = (event) => {
    location.hash = linkTo('/arrivals', formValues(event));
  };
  const loadMore = async () => {
    try {
      const page = await loadPage(filters, more.next || data.next);
      setMore({ items: [...more.items, ...page.items], next: page.next, error: null });
    } catch (e) {
      setMore({ ...more, error: e });
    }
  };
  const rows = data ? [...data.items, ...more.items] : [];
  const next = more.items.length ? more.next : data && data.next;
  return html`
    <${Title}>Arrivals</${Title}>
    <p class="lead">Did my webhook arrive? Every trigger instance rules-service recorded, newest first, and what it matched.</p>
    <form class="filters" onSubmit=${apply} aria-label="Filter arrivals">
      <label>Trigger <input name="trigger" value=${filters.trigger || ''} placeholder="mypack.mytrigger" /></label>
      <label>Webhook url <input name="url" value=${filters.url || ''} placeholder="github/push" /></label>
      <label>Result <select name="match" value=${filters.match || ''}>
        <option value="">any</option>
        <option value="matched">matched a rule</option>
        <option value="not_matched">matched no rule</option>
        <option value="failed">a rule failed</option>
        <option value="dropped">dropped (chain too deep)</option>
      </select></label>
      <label>Since <input type="datetime-local" step="1" name="since" value=${filters.since || ''} /></label>
      <label>Until <input type="datetime-local" step="1" name="until" value=${filters.until || ''} /></label>
      <button type="submit">Apply</button>
      <a class="button secondary" href="#/arrivals">Clear</a>
    </form>
    <${ErrorBox} error=${error || more.error} />
    ${loading ? html`<p class="muted">Loading…</p>` : html`
    <table class="list" aria-label="Trigger instances">
      <thead><tr><th scope="col">Received</th><th scope="col">Trigger</th><th scope="col">Url</th>
        <th scope="col">Result</th><th scope="col">Reason</th><th scope="col">Instance</th></tr></thead>
      <tbody>${rows.length === 0
        ? html`<tr><td colspan="6" class="empty">No trigger instances match these filters.</td></tr>`
        : rows.map((item) => html`<tr>
          <td><${Time} at=${item.receivedAt} /></td>
          <td><code>${item.trigger}</code></td>
          <td>${item.parameters && item.parameters.url ? html`<code>${item.parameters.url}</code>` : ''}</td>
          <td><${Status} value=${item.status} /></td>
          <td class="wrap">${item.reason || ''}</td>
          <td><a href=${'#/arrivals/' + encodeURIComponent(item.id)}>${item.id.slice(0, 13)}…</a></td>
        </tr>`)}</tbody>
    </table>
    ${next && html`<button type="button" class="secondary" onClick=${loadMore}>Load more</button>`}`}`;
}
