import { html, useEffect, useRef, useState, useCallback } from './lib.js';
import { ApiError } from './api.js';

/** Header names whose values are credentials: never shown, even if a record carried one. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|st2-api-key|x-auth-token|x-api-key)$|token|secret|signature|password/i;

export function maskHeaders(headers) {
  const shown = {};
  for (const [name, value] of Object.entries(headers || {})) {
    shown[name] = CREDENTIAL_HEADER.test(name) && value !== '********' ? '(removed)' : value;
  }
  return shown;
}

/** A local date and time, to the second, with the ISO instant as a tooltip. */
export function Time({ at }) {
  if (!at) {
    return html`<span class="muted">—</span>`;
  }
  const date = new Date(at);
  const pad = (n) => String(n).padStart(2, '0');
  const text = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return html`<time datetime=${at} title=${at}>${text}</time>`;
}

/** A datetime-local input's value as an ISO instant for the APIs' since/until, or '' when empty. */
export function toInstant(local) {
  return local ? new Date(local).toISOString() : '';
}

/** A status as a word in a coloured badge (the word carries the meaning, the colour only helps). */
export function Status({ value }) {
  const text = String(value || 'unknown');
  return html`<span class=${'badge badge-' + text.toLowerCase().replace(/[^a-z_]/g, '')}>${text.replace(/_/g, ' ')}</span>`;
}

export function Json({ value, label }) {
  return html`<pre class="code" tabindex="0" aria-label=${label || 'JSON'}>${JSON.stringify(value, null, 2)}</pre>`;
}

export function ErrorBox({ error }) {
  if (!error) {
    return null;
  }
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  return html`<div class="error" role="alert">${message}</div>`;
}

export function Notice({ text }) {
  return html`<p class="notice" role="status">${text || ''}</p>`;
}

export function HeaderTable({ headers, caption }) {
  const entries = Object.entries(maskHeaders(headers));
  if (!entries.length) {
    return html`<p class="muted">No headers.</p>`;
  }
  return html`<table class="kv"><caption>${caption}</caption>
    <thead><tr><th scope="col">Header</th><th scope="col">Value</th></tr></thead>
    <tbody>${entries.map(([name, value]) => html`<tr><th scope="row">${name}</th><td><code>${value}</code></td></tr>`)}</tbody>
  </table>`;
}

/** A page's title; it takes focus when the page opens so keyboard and screen-reader users land on it. */
export function Title({ children }) {
  const ref = useRef();
  useEffect(() => ref.current && ref.current.focus(), []);
  return html`<h1 tabindex="-1" ref=${ref}>${children}</h1>`;
}

/**
 * Loads data with an async function and re-loads when deps change or reload() is called; every `poll` ms too, when
 * given (a poll that fails keeps the last data and shows the error).
 */
export function useLoad(load, deps, poll) {
  const [state, setState] = useState({ loading: true, data: undefined, error: null });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    load().then((data) => live && setState({ loading: false, data, error: null }),
      (error) => live && setState((old) => ({ loading: false, data: old.data, error })));
    return () => { live = false; };
  }, [...deps, tick]);
  useEffect(() => {
    if (!poll) {
      return undefined;
    }
    const timer = setInterval(reload, poll);
    return () => clearInterval(timer);
  }, [poll, reload]);
  return { ...state, reload };
}

/** Copies text to the clipboard and says so; the text stays visible and selectable for when copying is not allowed. */
export function CopyButton({ text, label }) {
  const [done, setDone] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone('Copied');
    } catch {
      setDone('Select the text and copy it');
    }
    setTimeout(() => setDone(''), 3000);
  };
  return html`<button type="button" class="small" onClick=${copy} aria-label=${label}>Copy</button>
    <span class="copied" role="status">${done}</span>`;
}

/** The hash route's query as an object, and a function that replaces it (so filters live in the URL). */
export function routeQuery() {
  const hash = location.hash || '#/';
  const at = hash.indexOf('?');
  return Object.fromEntries(new URLSearchParams(at < 0 ? '' : hash.slice(at + 1)));
}

export function linkTo(path, query) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') {
      params.set(name, value);
    }
  }
  const text = params.toString();
  return '#' + path + (text ? '?' + text : '');
}

/** Form fields read by name into an object. */
export function formValues(event) {
  event.preventDefault();
  return Object.fromEntries(new FormData(event.target).entries());
}
