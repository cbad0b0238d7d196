import { html, render, useEffect, useState } from './lib.js';
import { session } from './api.js';
import { SignIn } from './pages/signin.js';
import { Arrivals } from './pages/arrivals.js';
import { Arrival } from './pages/arrival.js';
import { Executions } from './pages/executions.js';
import { ExecutionPage } from './pages/execution.js';
import { Rules } from './pages/rules.js';
import { RulePage } from './pages/rule.js';
import { Webhooks } from './pages/webhooks.js';
import { Destinations } from './pages/destinations.js';
import { ApiKeys } from './pages/apikeys.js';
import { Stats } from './pages/stats.js';
import { Replays } from './pages/replays.js';
import { SigningKeys } from './pages/signingkeys.js';

const NAV = [
  ['/arrivals', 'Arrivals', 'Did my webhook arrive?'],
  ['/executions', 'Executions', 'What was sent, and what came back?'],
  ['/rules', 'Rules', ''],
  ['/webhooks', 'Webhooks', ''],
  ['/replays', 'Replays', 'Send many again after an outage'],
  ['/destinations', 'Destinations', ''],
  ['/signingkeys', 'Signing keys', ''],
  ['/apikeys', 'API keys', ''],
  ['/stats', 'Stats', ''],
];

/** #/executions/abc?status=FAILED → { path: ['executions', 'abc'] } (the query is read by each page). */
function currentRoute() {
  const hash = (location.hash || '#/').slice(1);
  const path = hash.split('?')[0];
  return path.split('/').filter(Boolean).map(decodeURIComponent);
}

function Page({ route }) {
  const [section, id] = route;
  switch (section) {
    case 'arrivals': return id ? html`<${Arrival} id=${id} />` : html`<${Arrivals} />`;
    case 'executions': return id ? html`<${ExecutionPage} id=${id} />` : html`<${Executions} />`;
    case 'rules': return id ? html`<${RulePage} refOrId=${id} />` : html`<${Rules} />`;
    case 'webhooks': return html`<${Webhooks} />`;
    case 'destinations': return html`<${Destinations} />`;
    case 'replays': return html`<${Replays} />`;
    case 'signingkeys': return html`<${SigningKeys} />`;
    case 'apikeys': return html`<${ApiKeys} />`;
    case 'stats': return html`<${Stats} />`;
    default: return html`<${Arrivals} />`;
  }
}

function App() {
  const [route, setRoute] = useState(currentRoute());
  const [hash, setHash] = useState(location.hash);
  const [credential, setCredential] = useState(session.get());
  useEffect(() => {
    const changed = () => {
      setRoute(currentRoute());
      setHash(location.hash);
    };
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  if (!credential) {
    return html`<${SignIn} onSignedIn=${() => setCredential(session.get())} />`;
  }
  const signOut = () => {
    session.clear();
    setCredential(null);
  };
  const section = route[0] || 'arrivals';
  return html`
    <a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); document.getElementById('main').focus(); }}>Skip to content</a>
    <header class="top">
      <span class="brand">Hookflow console</span>
      <span class="who">Signed in with ${credential.kind === 'token' ? 'a token' : 'an API key'}${' '}
        <code>${credential.value.slice(0, 8)}…</code></span>
      <button type="button" class="small" onClick=${signOut}>Sign out</button>
    </header>
    <div class="layout">
      <nav aria-label="Sections">
        <ul>${NAV.map(([path, label, question]) => html`<li>
          <a href=${'#' + path} aria-current=${'/' + section === path ? 'page' : undefined}>${label}</a>
          ${question && html`<span class="question">${question}</span>`}</li>`)}</ul>
      </nav>
      <main id="main" tabindex="-1"><${Page} key=${hash} route=${route} /></main>
    </div>`;
}

const app = document.getElementById('app');
app.textContent = '';
render(html`<${App} />`, app);
