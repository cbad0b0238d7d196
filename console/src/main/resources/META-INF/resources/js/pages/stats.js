import { html } from '../lib.js';
import { api } from '../api.js';
import { ErrorBox, Title, linkTo, routeQuery, useLoad } from '../ui.js';

const WINDOWS = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3 };
const ORDER = ['SUCCEEDED', 'FAILED', 'RETRYING', 'PENDING', 'RUNNING', 'CANCELED'];

/** Executions by status as horizontal bars, drawn inline (no chart library); the table below carries the same numbers. */
function Bars({ byStatus }) {
  const rows = ORDER.filter((s) => s in byStatus).map((s) => [s, byStatus[s]]);
  const max = Math.max(1, ...rows.map(([, n]) => n));
  const rowHeight = 30;
  const labelWidth = 110;
  const width = 560;
  const barSpace = width - labelWidth - 60;
  const summary = rows.map(([s, n]) => `${s} ${n}`).join(', ');
  return html`<svg class="chart" viewBox=${`0 0 ${width} ${rows.length * rowHeight + 10}`} role="img"
      aria-label=${'Executions by status: ' + summary}>
    ${rows.map(([status, count], i) => html`<g transform=${`translate(0 ${i * rowHeight + 5})`}>
      <text x=${labelWidth - 8} y="17" text-anchor="end" class="chart-label">${status}</text>
      <rect x=${labelWidth} y="3" height="20" width=${Math.max(count ? 2 : 0, (count / max) * barSpace)}
        class=${'bar bar-' + status.toLowerCase()} />
      <text x=${labelWidth + Math.max(count ? 2 : 0, (count / max) * barSpace) + 6} y="18" class="chart-value">${count}</text>
    </g>`)}
  </svg>`;
}

function fmt(ms) {
  return ms === null || ms === undefined ? '—' : `${Math.round(ms)} ms`;
}

export function Stats() {
  const query = routeQuery();
  const span = WINDOWS[query.window] ? query.window : '24h';
  const { data, error, loading } = useLoad(() => api('delivery', '/v1/executions/stats', {
    query: { since: new Date(Date.now() - WINDOWS[span]).toISOString() } }), [span], 10000);
  return html`
    <${Title}>Stats</${Title}>
    <p class="lead">Executions created in the window, by status, and how long attempts took.</p>
    <nav class="tabs" aria-label="Window">${Object.keys(WINDOWS).map((w) => html`
      <a href=${linkTo('/stats', { window: w })} aria-current=${w === span ? 'true' : undefined}>Last ${w}</a>`)}</nav>
    <${ErrorBox} error=${error} />
    ${loading || !data ? html`<p class="muted">Loading…</p>` : html`
      <div class="stats-grid">
        <div class="figure"><span class="big">${data.total}</span> executions</div>
        <div class="figure"><span class="big">${data.successRate === null || data.successRate === undefined ? '—'
          : (data.successRate * 100).toFixed(1) + ' %'}</span> success rate (succeeded / finished)</div>
        <div class="figure"><span class="big">${data.attempts ? data.attempts.count : 0}</span> attempts:
          p50 ${fmt(data.attempts && data.attempts.p50Ms)}, p95 ${fmt(data.attempts && data.attempts.p95Ms)},
          p99 ${fmt(data.attempts && data.attempts.p99Ms)}</div>
      </div>
      <${Bars} byStatus=${data.byStatus} />
      <table class="list compact" aria-label="Executions by status">
        <thead><tr><th scope="col">Status</th><th scope="col">Executions</th></tr></thead>
        <tbody>${ORDER.filter((s) => s in data.byStatus).map((s) => html`<tr>
          <td><a href=${linkTo('/executions', { status: s })}>${s}</a></td><td class="num">${data.byStatus[s]}</td></tr>`)}</tbody>
      </table>`}`;
}
