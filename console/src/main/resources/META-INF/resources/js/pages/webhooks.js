import { html, useState } from '../lib.js';
import { api, consoleSettings } from '../api.js';
import { CopyButton, ErrorBox, Notice, Time, Title, formValues, useLoad } from '../ui.js';

function Created({ webhook, base }) {
  const url = base + webhook.url;
  return html`<div class="card created" role="status">
    <h3>Webhook created</h3>
    <p>Senders POST to <code class="wrap" id="created-url">${url}</code> <${CopyButton} text=${url} label="Copy the new webhook's URL" /></p>
    <p class="muted">Rules listen to it with trigger type <code>${webhook.trigger}</code>.
      ${webhook.secret ? ' Requests signed with its secret need no API key.' : ''}</p>
  </div>`;
}

export function Webhooks() {
  const [created, setCreated] = useState(null);
  const [notice, setNotice] = useState('');
  const [actionError, setActionError] = useState(null);
  const { data, error, loading, reload } = useLoad(async () => {
    const [list, settings] = await Promise.all([api('ingest', '/v1/webhooks'), consoleSettings()]);
    return { list, base: settings.ingestUrl };
  }, []);
  const create = async (event) => {
    const values = formValues(event);
    const body = {};
    for (const name of ['name', 'description', 'secret']) {
      if (values[name]) {
        body[name] = values[name];
      }
    }
    setActionError(null);
    try {
      setCreated(await api('ingest', '/v1/webhooks', { method: 'POST', body }));
      event.target.reset();
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  const remove = async (webhook) => {
    if (!confirm(`Delete webhook ${webhook.name || webhook.id}? Senders get 404 from now on.`)) {
      return;
    }
    try {
      await api('ingest', `/v1/webhooks/${encodeURIComponent(webhook.id)}`, { method: 'DELETE' });
      setNotice('Webhook deleted.');
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  const base = data ? data.base : '';
  return html`
    <${Title}>Webhooks</${Title}>
    <p class="lead">Where senders deliver: the generic st2 webhook, the urls your rules register, and webhooks created by id.</p>
    <${ErrorBox} error=${error || actionError} />
    <${Notice} text=${notice} />
    ${created && html`<${Created} webhook=${created} base=${base} />`}
    ${loading ? html`<p class="muted">Loading…</p>` : html`
    <table class="list" aria-label="Webhooks">
      <thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">URL</th><th scope="col">Trigger</th>
        <th scope="col">Rules</th><th scope="col">Actions</th></tr></thead>
      <tbody>${(data ? data.list : []).map((w) => html`<tr>
        <td>${w.kind === 'id' ? 'by id' : w.kind === 'rule' ? 'rule url' : w.kind}</td>
        <td>${w.name || ''}</td>
        <td><code class="wrap">${base + w.url}</code></td>
        <td><code>${w.trigger || 'from the body'}</code></td>
        <td>${(w.rules || []).map((ref) => html`<a href=${'#/rules/' + encodeURIComponent(ref)}>${ref}</a> `)}</td>
        <td class="nowrap"><${CopyButton} text=${base + w.url} label=${'Copy the URL of ' + (w.name || w.url)} />
          ${w.kind === 'id' && html` <button type="button" class="small danger" onClick=${() => remove(w)}
            aria-label=${'Delete webhook ' + (w.name || w.id)}>Delete</button>`}</td>
      </tr>`)}</tbody>
    </table>`}
    <section aria-labelledby="create-webhook">
      <h2 id="create-webhook">Create a webhook by id</h2>
      <form class="stacked" onSubmit=${create}>
        <label>Name <input name="name" /></label>
        <label>Description <input name="description" /></label>
        <label>Signing secret (optional, 8+ characters; write-only)
          <input name="secret" type="password" autocomplete="new-password" minlength="8" /></label>
        <button type="submit">Create webhook</button>
      </form>
    </section>`;
}
