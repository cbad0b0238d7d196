import { html, useState } from '../lib.js';
import { api } from '../api.js';
import { CopyButton, ErrorBox, Notice, Time, Title, formValues, useLoad } from '../ui.js';

export function ApiKeys() {
  const [created, setCreated] = useState(null);
  const [notice, setNotice] = useState('');
  const [actionError, setActionError] = useState(null);
  const { data, error, loading, reload } = useLoad(() => api('ingest', '/v1/apikeys'), []);
  const run = async (work, done) => {
    setActionError(null);
    try {
      await work();
      setNotice(done);
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  const create = (event) => {
    const { name } = formValues(event);
    const form = event.target;
    run(async () => {
      setCreated(await api('ingest', '/v1/apikeys', { method: 'POST', body: name ? { name } : {} }));
      form.reset();
    }, '');
  };
  const setEnabled = (key, enabled) => run(
    () => api('ingest', `/v1/apikeys/${encodeURIComponent(key.id)}`, { method: 'PUT', body: { enabled } }),
    `Key ${key.masked} ${enabled ? 'enabled' : 'disabled'}.`);
  const remove = (key) => confirm(`Delete key ${key.masked}? Every service refuses it within a second.`)
    && run(async () => {
      await api('ingest', `/v1/apikeys/${encodeURIComponent(key.id)}`, { method: 'DELETE' });
      if (created && created.id === key.id) {
        setCreated(null);
      }
    }, `Key ${key.masked} deleted.`);
  return html`
    <${Title}>API keys</${Title}>
    <p class="lead">Keys of your organisation. A key is shown once, when it is created; Hookflow keeps only its digest.</p>
    <${ErrorBox} error=${error || actionError} />
    <${Notice} text=${notice} />
    ${created && html`<div class="card created" role="status">
      <h3>New key${created.name ? ` “${created.name}”` : ''}: copy it now, it will not be shown again</h3>
      <p><code class="secret" id="new-key">${created.key}</code> <${CopyButton} text=${created.key} label="Copy the new API key" /></p>
      <button type="button" class="small secondary" onClick=${() => setCreated(null)}>I have stored it</button>
    </div>`}
    ${loading ? html`<p class="muted">Loading…</p>` : html`
    <table class="list" aria-label="API keys">
      <thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">State</th><th scope="col">Created</th>
        <th scope="col">Actions</th></tr></thead>
      <tbody>${(data || []).length === 0
        ? html`<tr><td colspan="5" class="empty">No keys besides the bootstrap key.</td></tr>`
        : data.map((key) => html`<tr>
          <td>${key.name || html`<span class="muted">unnamed</span>`}</td>
          <td><code>${key.masked}</code></td>
          <td>${key.enabled ? 'enabled' : html`<span class="muted">disabled</span>`}</td>
          <td><${Time} at=${key.createdOn} /></td>
          <td class="nowrap">
            <button type="button" class="small" onClick=${() => setEnabled(key, !key.enabled)}
              aria-label=${(key.enabled ? 'Disable key ' : 'Enable key ') + key.masked}>${key.enabled ? 'Disable' : 'Enable'}</button>
            <button type="button" class="small danger" onClick=${() => remove(key)} aria-label=${'Delete key ' + key.masked}>Delete</button>
          </td>
        </tr>`)}</tbody>
    </table>`}
    <section aria-labelledby="create-key">
      <h2 id="create-key">Create a key</h2>
      <form class="stacked" onSubmit=${create}>
        <label>Name <input name="name" placeholder="ci-pipeline" /></label>
        <button type="submit">Create key</button>
      </form>
    </section>`;
}
