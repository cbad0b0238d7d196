import { html } from '../lib.js';
import { api } from '../api.js';
import { ErrorBox, HeaderTable, Json, Status, Time, Title, useLoad } from '../ui.js';

/**
 * One trigger instance: what arrived (payload, headers with credentials removed), what its enforcements did, and for
 * every rule of its trigger type whether each criterion holds, from the rule tester run against this recorded instance.
 */
async function load(id) {
  const instance = await api('rules', `/v1/triggerinstances/${encodeURIComponent(id)}`);
  const [enforcements, candidates] = await Promise.all([
    api('rules', '/v1/ruleenforcements', { query: { triggerInstance: id, limit: 500 } }),
    api('rules', '/v1/rules', { query: { triggerType: instance.trigger } }),
  ]);
  const tests = await Promise.all(candidates.map((rule) =>
    api('rules', '/v1/rules/test', { method: 'POST', body: { ruleRef: rule.ref, triggerInstanceId: id } })
      .then((result) => ({ rule, result }), (error) => ({ rule, error }))));
  return { instance, enforcements: enforcements.items, tests };
}

function Criteria({ criteria }) {
  if (!criteria || criteria.length === 0) {
    return html`<p class="muted">No criteria: the rule fires for every instance of its trigger.</p>`;
  }
  return html`<table class="list criteria">
    <thead><tr><th scope="col">Criterion</th><th scope="col">Operator</th><th scope="col">Pattern</th>
      <th scope="col">Value in this instance</th><th scope="col">Result</th></tr></thead>
    <tbody>${criteria.map((c) => html`<tr class=${c.matched ? 'holds' : 'fails'}>
      <td><code>${c.path}</code></td><td><code>${c.type}</code></td>
      <td><code>${c.pattern === undefined || c.pattern === null ? '—' : JSON.stringify(c.pattern)}</code></td>
      <td><code>${c.value === undefined || c.value === null ? '(absent)' : JSON.stringify(c.value)}</code></td>
      <td>${c.matched ? html`<span class="ok">✓ holds</span>` : html`<span class="bad">✗ does not hold</span>`}</td>
    </tr>`)}</tbody>
  </table>`;
}

function Verdict({ test, enforcement }) {
  const { rule, result, error } = test;
  let summary;
  if (error) {
    summary = html`<span class="bad">could not be tested</span>`;
  } else if (enforcement) {
    summary = enforcement.status === 'succeeded' ? html`<span class="ok">fired</span>`
      : enforcement.status === 'shadowed' ? html`<span class="warn">matched in shadow mode: recorded, not sent</span>`
      : html`<span class="bad">matched, but its enforcement failed</span>`;
  } else if (!rule.enabled) {
    summary = html`<span class="bad">did not fire: the rule is disabled</span>`;
  } else if (result.matched) {
    summary = html`<span class="warn">matches now, but did not fire for this instance (it was created or changed later)</span>`;
  } else {
    summary = html`<span class="bad">did not fire: ${result.error || 'a criterion does not hold'}</span>`;
  }
  return html`<section class="card" aria-labelledby=${'rule-' + rule.id}>
    <h3 id=${'rule-' + rule.id}><a href=${'#/rules/' + encodeURIComponent(rule.ref)}>${rule.ref}</a> — ${summary}</h3>
    ${enforcement && enforcement.failureReason && html`<p class="bad">${enforcement.failureReason}</p>`}
    ${enforcement && enforcement.executionId && html`<p><a href=${'#/executions/' + enforcement.executionId}>Open its execution</a></p>`}
    ${enforcement && enforcement.request && html`<h4>The request it would have sent (secrets masked)</h4>
      <${Json} value=${enforcement.request} label="The request it would have sent" />`}
    <${ErrorBox} error=${error} />
    ${result && html`<${Criteria} criteria=${result.criteria} />`}
  </section>`;
}

export function Arrival({ id }) {
  const { data, error, loading } = useLoad(() => load(id), [id]);
  if (loading) {
    return html`<${Title}>Trigger instance</${Title}><p class="muted">Loading…</p>`;
  }
  if (!data) {
    return html`<${Title}>Trigger instance</${Title}><${ErrorBox} error=${error} /><p><a href="#/arrivals">Back to arrivals</a></p>`;
  }
  const { instance, enforcements, tests } = data;
  const payload = instance.payload || {};
  const hasRequest = payload && typeof payload === 'object' && payload.headers && typeof payload.headers === 'object';
  const byRule = Object.fromEntries(enforcements.map((e) => [e.ruleId, e]));
  const testedIds = new Set(tests.map((t) => t.rule.id));
  return html`
    <p><a href="#/arrivals">← Arrivals</a></p>
    <${Title}>Trigger instance <code>${instance.id}</code></${Title}>
    <dl class="facts">
      <dt>Trigger</dt><dd><code>${instance.trigger}</code>${instance.parameters && html` <code>${JSON.stringify(instance.parameters)}</code>`}</dd>
      <dt>Result</dt><dd><${Status} value=${instance.status} /> ${instance.reason || ''}</dd>
      <dt>Received</dt><dd><${Time} at=${instance.receivedAt} /></dd>
      <dt>Recorded</dt><dd><${Time} at=${instance.recordedAt} /></dd>
      <dt>Source</dt><dd>${instance.source || '—'}</dd>
      <dt>Chain depth</dt><dd>${instance.depth}</dd>
    </dl>
    <h2>What arrived</h2>
    ${hasRequest ? html`
      <${HeaderTable} headers=${payload.headers} caption="Headers (credentials were removed at ingest)" />
      <h3>Body</h3><${Json} value=${payload.body} label="Body" />`
      : html`<${Json} value=${payload} label="Payload" />`}
    <h2>Why did or didn't each rule fire?</h2>
    <p class="muted">Each rule of trigger <code>${instance.trigger}</code>, tested now against this recorded instance
      (the rule as it is now; the enforcement is what happened when the instance arrived).</p>
    ${tests.length === 0 && enforcements.length === 0 ? html`<p>No rule of your organisation listens to <code>${instance.trigger}</code>.</p>` : ''}
    ${tests.map((test) => html`<${Verdict} test=${test} enforcement=${byRule[test.rule.id]} />`)}
    ${enforcements.filter((e) => !testedIds.has(e.ruleId)).map((e) => html`<section class="card">
      <h3>${e.ruleRef} — <${Status} value=${e.status} /> (rule since deleted)</h3>
      ${e.executionId && html`<p><a href=${'#/executions/' + e.executionId}>Open its execution</a></p>`}
    </section>`)}`;
}
