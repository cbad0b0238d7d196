import { html, useState } from '../lib.js';
import { api, session, ApiError } from '../api.js';
import { ErrorBox, Title } from '../ui.js';

/**
 * Sign-in keeps the API key or token in this tab's sessionStorage (gone when the tab closes) after each service has
 * accepted it, so a wrong key is refused here with the service's own message instead of on every page.
 */
export function SignIn({ onSignedIn }) {
  const [kind, setKind] = useState('apikey');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    const value = new FormData(event.target).get('credential').trim();
    if (!value) {
      setError(new Error('Enter an API key or a token.'));
      return;
    }
    setBusy(true);
    setError(null);
    const credential = { kind, value };
    try {
      await Promise.all([
        api('ingest', '/v1/webhooks', { credential }),
        api('rules', '/v1/triggerinstances', { query: { limit: 1 }, credential }),
        api('delivery', '/v1/destinations', { credential }),
      ]);
      session.set(kind, value);
      onSignedIn();
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401
        ? new Error(`Sign-in refused: the ${kind === 'token' ? 'token' : 'API key'} was not accepted (${e.body && e.body.message ? e.body.message : 'unauthorized'}).`)
        : e);
    } finally {
      setBusy(false);
    }
  };
  return html`<main id="main" class="signin">
    <${Title}>Sign in to the Hookflow console</${Title}>
    <p>Use an API key or a token of your organisation. It is kept in this browser tab only and sent with each request;
      you see exactly what the API shows your organisation.</p>
    <form onSubmit=${submit} aria-describedby="signin-error">
      <fieldset>
        <legend>Credential type</legend>
        <label><input type="radio" name="kind" value="apikey" checked=${kind === 'apikey'} onChange=${() => setKind('apikey')} /> API key (St2-Api-Key)</label>
        <label><input type="radio" name="kind" value="token" checked=${kind === 'token'} onChange=${() => setKind('token')} /> Token (X-Auth-Token)</label>
      </fieldset>
      <label for="credential">${kind === 'token' ? 'Token' : 'API key'}</label>
      <input id="credential" name="credential" type="password" autocomplete="off" required autofocus />
      <button type="submit" disabled=${busy}>${busy ? 'Checking…' : 'Sign in'}</button>
    </form>
    <div id="signin-error"><${ErrorBox} error=${error} /></div>
  </main>`;
}
