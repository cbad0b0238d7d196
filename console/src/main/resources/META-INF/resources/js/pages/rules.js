import { html, useState } from '../lib.js';
import { api } from '../api.js';
import { ErrorBox, Notice, Status, Title, formValues, linkTo, routeQuery, useLoad } from '../ui.js';

export async function setEnabled(rule, enabled) {
  return api('rules', `/v1/rules/${encodeURIComponent(rule.ref)}/${enabled ? 'enable' : 'disable'}`, { method: 'POST' });
}

export function Rules() {
  const filters = routeQuery();
  const [notice, setNotice] = useState('');
  const [actionError, setActionError] = useState(null);
  const { data, error, loading, reload } = useLoad(
    () => api('rules', '/v1/rules', { query: { pack: filters.pack, enabled: filters.enabled, mode: filters.mode } }),
    [JSON.stringify(filters)]);
  const toggle = async (rule) => {
    setActionError(null);
    try {
      await setEnabled(rule, !rule.enabled);
      setNotice(`${rule.ref} ${rule.enabled ? 'disabled' : 'enabled'}.`);
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  return html`
    <${Title}>Rules</${Title}>
    <p class="lead">When a trigger fires and every criterion holds, a rule sends its request. A rule in${' '}
      <strong>shadow</strong> mode is matched and rendered like a live one but never sends: its enforcements record the
      request it would have sent.</p>
    <form class="filters" onSubmit=${(e) => { location.hash = linkTo('/rules', formValues(e)); }} aria-label="Filter rules">
      <label>Pack <input name="pack" value=${filters.pack || ''} /></label>
      <label>State <select name="enabled" value=${filters.enabled || ''}>
        <option value="">any</option><option value="true">enabled</option><option value="false">disabled</option></select></label>
      <label>Mode <select name="mode" value=${filters.mode || ''}>
        <option value="">any</option><option value="live">live</option><option value="shadow">shadow</option></select></label>
      <button type="submit">Apply</button>
      <a class="button secondary" href="#/rules">Clear</a>
    </form>
    <${Notice} text=${notice} />
    <${ErrorBox} error=${actionError || error} />
    ${loading ? html`<p class="muted">Loading…</p>` : html`
    <table class="list" aria-label="Rules">
      <thead><tr><th scope="col">Rule</th><th scope="col">Trigger</th><th scope="col">Description</th>
        <th scope="col">Mode</th><th scope="col">State</th><th scope="col">Action</th></tr></thead>
      <tbody>${(data || []).length === 0
        ? html`<tr><td colspan="6" class="empty">No rules.</td></tr>`
        : data.map((rule) => html`<tr>
          <td><a href=${'#/rules/' + encodeURIComponent(rule.ref)}>${rule.ref}</a></td>
          <td><code>${rule.trigger.type}</code>${rule.trigger.parameters && rule.trigger.parameters.url
            ? html` <code>url: ${rule.trigger.parameters.url}</code>` : ''}</td>
          <td class="wrap">${rule.description || ''}</td>
          <td><${Status} value=${rule.mode || 'live'} /></td>
          <td>${rule.enabled ? 'enabled' : html`<span class="muted">disabled</span>`}</td>
          <td><button type="button" class="small" onClick=${() => toggle(rule)}
            aria-label=${(rule.enabled ? 'Disable ' : 'Enable ') + rule.ref}>${rule.enabled ? 'Disable' : 'Enable'}</button></td>
        </tr>`)}</tbody>
    </table>`}`;
}
