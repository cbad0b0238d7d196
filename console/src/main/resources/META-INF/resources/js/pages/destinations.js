import { html } from '../lib.js';
import { api } from '../api.js';
import { ErrorBox, Status, Time, Title, linkTo, useLoad } from '../ui.js';

export function Destinations() {
  const { data, error, loading } = useLoad(() => api('delivery', '/v1/destinations'), [], 5000);
  return html`
    <${Title}>Destinations</${Title}>
    <p class="lead">Every destination your executions reached or tried, and its circuit: open circuits first. While a circuit
      is open, its executions wait (parked) instead of spending attempts.</p>
    <${ErrorBox} error=${error} />
    ${loading ? html`<p class="muted">Loading…</p>` : html`
    <table class="list" aria-label="Destinations">
      <thead><tr><th scope="col">Destination</th><th scope="col">Circuit</th><th scope="col">Consecutive failures</th>
        <th scope="col">Last error</th><th scope="col">Opened</th><th scope="col">Next probe</th><th scope="col">Updated</th></tr></thead>
      <tbody>${(data ? data.items : []).length === 0
        ? html`<tr><td colspan="7" class="empty">No destination yet.</td></tr>`
        : data.items.map((d) => html`<tr>
          <td><a href=${linkTo('/executions', { host: d.destination.replace(/:\d+$/, '') })}>${d.destination}</a></td>
          <td><${Status} value=${d.state} /></td>
          <td class="num">${d.consecutiveFailures}</td>
          <td class="wrap">${d.lastError || ''}</td>
          <td><${Time} at=${d.openedAt} /></td>
          <td><${Time} at=${d.nextProbeAt} /></td>
          <td><${Time} at=${d.updatedAt} /></td>
        </tr>`)}</tbody>
    </table>`}`;
}
