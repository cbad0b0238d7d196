import { html, useState } from '../lib.js';
import { api } from '../api.js';
import { CopyButton, ErrorBox, Notice, Status, Time, Title, formValues, useLoad } from '../ui.js';

/**
 * The organisation's signing keys (delivery's /api/v1/signing-keys): list with each Ed25519 key's public key, create,
 * rotate and retire. An HMAC key's secret is in the create or rotate answer only, so it is shown once, here.
 */
export function SigningKeys() {
  const [created, setCreated] = useState(null);
  const [overlap, setOverlap] = useState('');
  const [notice, setNotice] = useState('');
  const [actionError, setActionError] = useState(null);
  const { data, error, loading, reload } = useLoad(() => api('delivery', '/v1/signing-keys'), []);
  /** Runs an action and says what it did: the given text, or the one the action answers. */
  const run = async (work, done) => {
    setActionError(null);
    try {
      const said = await work();
      setNotice(typeof said === 'string' ? said : done);
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  const overlapQuery = () => (overlap.trim() === '' ? undefined : { overlapSeconds: overlap.trim() });
  const create = (event) => {
    const { algorithm } = formValues(event);
    run(async () => {
      setCreated(await api('delivery', '/v1/signing-keys', { method: 'POST', body: { algorithm } }));
    }, 'Signing key created.');
  };
  const rotate = (key) => run(async () => {
    const next = await api('delivery', `/v1/signing-keys/${encodeURIComponent(key.id)}/rotate`,
      { method: 'POST', query: overlapQuery() });
    setCreated(next);
  }, `Key ${key.id} rotated.`);
  const retire = (key) => confirm(`Retire key ${key.id}${overlap.trim() === '' ? ' after the default overlap (24 h)'
    : ` in ${overlap.trim()} seconds`}? Rules that name it sign with their other keys.`)
    && run(async () => {
      const retired = await api('delivery', `/v1/signing-keys/${encodeURIComponent(key.id)}/retire`,
        { method: 'POST', query: overlapQuery() });
      return `Key ${key.id} ${retired.status}.`;
    });
  const keys = data ? data.items : [];
  return html`
    <${Title}>Signing keys</${Title}>
    <p class="lead">Keys Hookflow signs deliveries with when a rule's <code>secret</code> is${' '}
      <code>signing-keys:all</code> or <code>signing-keys:sk_…,sk_…</code>. Receivers verify Ed25519 signatures with
      the public key (also at <code>/.well-known/hookflow/signing-keys/{organisation}</code> on delivery-service); an
      HMAC key's secret is shown once.</p>
    <${ErrorBox} error=${error || actionError} />
    <${Notice} text=${notice} />
    ${created && html`<div class="card created" role="status">
      <h3>New key <code id="new-signing-key-id">${created.id}</code> (${created.algorithm})</h3>
      ${created.secret ? html`<p>Its secret, shown this once: copy it now.</p>
        <p><code class="secret" id="new-signing-secret">${created.secret}</code>
          <${CopyButton} text=${created.secret} label="Copy the new signing secret" /></p>`
        : html`<p>Public key: <code id="new-public-key">${created.publicKey}</code>
          <${CopyButton} text=${created.publicKey} label="Copy the new public key" /></p>`}
      <button type="button" class="small secondary" onClick=${() => setCreated(null)}>Done</button>
    </div>`}
    <label>Overlap for rotate and retire, in seconds (empty: 24 h; 0: at once)
      <input name="overlap" type="number" min="0" max="2592000" value=${overlap}
        onInput=${(e) => setOverlap(e.target.value)} /></label>
    ${loading ? html`<p class="muted">Loading…</p>` : html`
    <table class="list" aria-label="Signing keys">
      <thead><tr><th scope="col">Key</th><th scope="col">Algorithm</th><th scope="col">Status</th>
        <th scope="col">Public key</th><th scope="col">Created</th><th scope="col">Signs until</th>
        <th scope="col">Actions</th></tr></thead>
      <tbody>${keys.length === 0
        ? html`<tr><td colspan="7" class="empty">No signing keys yet.</td></tr>`
        : keys.map((key) => html`<tr>
          <td><code>${key.id}</code></td>
          <td>${key.algorithm}</td>
          <td><${Status} value=${key.status} /></td>
          <td class="wrap">${key.publicKey ? html`<code>${key.publicKey}</code>
            <${CopyButton} text=${key.publicKey} label=${'Copy the public key of ' + key.id} />`
            : html`<span class="muted">none (HMAC)</span>`}</td>
          <td><${Time} at=${key.createdAt} /></td>
          <td><${Time} at=${key.expiresAt} /></td>
          <td class="nowrap">${key.status !== 'retired' && html`
            <button type="button" class="small" onClick=${() => rotate(key)} aria-label=${'Rotate key ' + key.id}>Rotate</button>
            <button type="button" class="small danger" onClick=${() => retire(key)} aria-label=${'Retire key ' + key.id}>Retire</button>`}</td>
        </tr>`)}</tbody>
    </table>`}
    <section aria-labelledby="create-signing-key">
      <h2 id="create-signing-key">Create a key</h2>
      <form class="stacked" onSubmit=${create}>
        <label>Algorithm <select name="algorithm">
          <option value="ed25519">Ed25519 (v1a: receivers verify with the public key)</option>
          <option value="hmac-sha256">HMAC-SHA256 (v1: a shared secret)</option></select></label>
        <button type="submit">Create signing key</button>
      </form>
    </section>`;
}
