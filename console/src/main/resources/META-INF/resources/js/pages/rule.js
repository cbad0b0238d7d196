import { html, useState } from '../lib.js';
import { api } from '../api.js';
import { ErrorBox, Json, Notice, Status, Time, Title, useLoad } from '../ui.js';
import { toYaml } from '../yaml.js';
import { setEnabled } from './rules.js';

/** Keys in the order given first, then the others as they come. */
function ordered(object, first) {
  if (!object || typeof object !== 'object' || Array.isArray(object)) {
    return object;
  }
  const result = {};
  for (const name of first) {
    if (name in object) {
      result[name] = object[name];
    }
  }
  return Object.assign(result, object);
}

/** The rule as StackStorm users write it, in their order: no ids or timestamps, secrets as the API masks them. */
function asWritten(rule) {
  const { id, ref, createdAt, updatedAt, ...rest } = rule;
  const action = ordered(rest.action, ['ref', 'parameters']);
  if (action) {
    action.parameters = ordered(action.parameters, ['url', 'method', 'headers', 'body']);
  }
  return { ...ordered(rest, ['name', 'pack', 'description', 'enabled', 'trigger', 'criteria', 'action']), action };
}

function TestResult({ result }) {
  return html`<div class="card" aria-live="polite">
    <h3>${result.matched ? html`<span class="ok">✓ The rule matches</span>` : html`<span class="bad">✗ The rule does not match</span>`}</h3>
    ${result.error && html`<p class="bad">${result.error}</p>`}
    ${result.criteria && result.criteria.length > 0 && html`<table class="list criteria">
      <thead><tr><th scope="col">Criterion</th><th scope="col">Operator</th><th scope="col">Pattern</th><th scope="col">Value</th><th scope="col">Result</th></tr></thead>
      <tbody>${result.criteria.map((c) => html`<tr>
        <td><code>${c.path}</code></td><td><code>${c.type}</code></td>
        <td><code>${c.pattern === null || c.pattern === undefined ? '—' : JSON.stringify(c.pattern)}</code></td>
        <td><code>${c.value === null || c.value === undefined ? '(absent)' : JSON.stringify(c.value)}</code></td>
        <td>${c.matched ? html`<span class="ok">✓ holds</span>` : html`<span class="bad">✗ does not hold</span>`}</td></tr>`)}</tbody>
    </table>`}
    ${result.request && html`<h4>The request it would send (secrets masked)</h4><${Json} value=${result.request} label="Rendered request" />`}
  </div>`;
}

function Tester({ rule }) {
  const [source, setSource] = useState('payload');
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const recent = useLoad(() => api('rules', '/v1/triggerinstances', { query: { trigger: rule.trigger.type, limit: 20 } }), [rule.ref]);
  const run = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    setError(null);
    setResult(null);
    const body = { ruleRef: rule.ref };
    if (source === 'payload') {
      let payload;
      try {
        payload = JSON.parse(form.get('payload') || '{}');
      } catch (e) {
        setError(new Error(`The payload is not JSON: ${e.message}`));
        return;
      }
      body.triggerInstance = { trigger: rule.trigger.type, payload };
      if (rule.trigger.parameters) {
        body.triggerInstance.parameters = rule.trigger.parameters;
      }
    } else {
      body.triggerInstanceId = String(form.get('instance') || '').trim();
    }
    try {
      setResult(await api('rules', '/v1/rules/test', { method: 'POST', body }));
    } catch (e) {
      setError(e);
    }
  };
  const instances = recent.data ? recent.data.items : [];
  return html`<section aria-labelledby="tester">
    <h2 id="tester">Test this rule</h2>
    <p class="muted">A dry run: nothing is sent or recorded.</p>
    <form onSubmit=${run} class="tester">
      <fieldset><legend>Test against</legend>
        <label><input type="radio" name="source" checked=${source === 'payload'} onChange=${() => setSource('payload')} /> a payload I paste</label>
        <label><input type="radio" name="source" checked=${source === 'instance'} onChange=${() => setSource('instance')} /> a recorded trigger instance</label>
      </fieldset>
      ${source === 'payload' ? html`
        <label for="payload">Payload of a <code>${rule.trigger.type}</code> trigger instance (JSON)</label>
        <textarea id="payload" name="payload" rows="8" spellcheck="false">{}</textarea>`
      : html`
        <label for="instance">Trigger instance id</label>
        <input id="instance" name="instance" list="recent-instances" value=${instances[0] ? instances[0].id : ''} />
        <datalist id="recent-instances">${instances.map((i) => html`<option value=${i.id}>${i.receivedAt}</option>`)}</datalist>
        <p class="muted">Recent instances of <code>${rule.trigger.type}</code> are suggested.</p>`}
      <button type="submit">Run the test</button>
    </form>
    <${ErrorBox} error=${error} />
    ${result && html`<${TestResult} result=${result} />`}
  </section>`;
}

/** A shadow rule's latest enforcements, each with the request it would have sent (secrets masked by rules-service). */
function ShadowRequests({ rule }) {
  const { data, error, loading } = useLoad(
    () => api('rules', '/v1/ruleenforcements', { query: { rule: rule.id, limit: 5 } }), [rule.id]);
  const items = data ? data.items : [];
  return html`<section aria-labelledby="shadow-requests">
    <h2 id="shadow-requests">What it would have sent</h2>
    <p class="muted">This rule is in shadow mode: it is matched and rendered, and its request recorded, never sent. Its
      latest enforcements:</p>
    <${ErrorBox} error=${error} />
    ${loading ? html`<p class="muted">Loading…</p>` : items.length === 0
      ? html`<p class="muted">No enforcement yet: nothing it listens to has arrived since it was saved.</p>`
      : items.map((e) => html`<div class="card">
        <h3><${Status} value=${e.status} /> <${Time} at=${e.createdAt} /> — trigger instance${' '}
          <a href=${'#/arrivals/' + encodeURIComponent(e.triggerInstanceId)}><code>${e.triggerInstanceId}</code></a></h3>
        ${e.failureReason && html`<p class="bad">${e.failureReason}</p>`}
        ${e.request && html`<${Json} value=${e.request} label="The request it would have sent" />`}
      </div>`)}
  </section>`;
}

export function RulePage({ refOrId }) {
  const [notice, setNotice] = useState('');
  const [actionError, setActionError] = useState(null);
  const { data, error, loading, reload } = useLoad(() => api('rules', `/v1/rules/${encodeURIComponent(refOrId)}`), [refOrId]);
  if (loading) {
    return html`<${Title}>Rule</${Title}><p class="muted">Loading…</p>`;
  }
  if (!data) {
    return html`<${Title}>Rule</${Title}><${ErrorBox} error=${error} /><p><a href="#/rules">Back to rules</a></p>`;
  }
  const rule = data;
  const toggle = async () => {
    setActionError(null);
    try {
      await setEnabled(rule, !rule.enabled);
      setNotice(`Rule ${rule.enabled ? 'disabled' : 'enabled'}.`);
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  return html`
    <p><a href="#/rules">← Rules</a></p>
    <${Title}>Rule ${rule.ref}</${Title}>
    <div class="actions">
      <span>${rule.enabled ? 'Enabled' : 'Disabled'}</span>
      <span>Mode <${Status} value=${rule.mode || 'live'} /></span>
      <button type="button" onClick=${toggle}>${rule.enabled ? 'Disable' : 'Enable'}</button>
      <a class="button secondary" href=${'#/executions?rule=' + encodeURIComponent(rule.ref)}>Its executions</a>
      <${Notice} text=${notice} />
    </div>
    <${ErrorBox} error=${actionError} />
    <p class="muted">Created <${Time} at=${rule.createdAt} />, updated <${Time} at=${rule.updatedAt} />.</p>
    <h2>As YAML</h2>
    <pre class="code yaml" tabindex="0" aria-label="The rule as YAML">${toYaml(asWritten(rule))}</pre>
    ${rule.mode === 'shadow' && html`<${ShadowRequests} rule=${rule} />`}
    <${Tester} rule=${rule} />`;
}
