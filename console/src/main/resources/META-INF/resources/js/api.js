// The browser's only server: the console's own origin, which forwards /api/<service>/... to each service's /api/....
// The credential lives in this tab's sessionStorage only and goes with every call; the services check it.

const CREDENTIAL = 'hookflow.credential';

export const session = {
  get() {
    try {
      return JSON.parse(sessionStorage.getItem(CREDENTIAL));
    } catch {
      return null;
    }
  },
  set(kind, value) {
    sessionStorage.setItem(CREDENTIAL, JSON.stringify({ kind, value }));
  },
  clear() {
    sessionStorage.removeItem(CREDENTIAL);
  },
};

/** A refusal or failure, with the service's JSON error body when it sent one. */
export class ApiError extends Error {
  constructor(service, status, body) {
    super(describe(service, status, body));
    this.service = service;
    this.status = status;
    this.body = body;
  }
}

function describe(service, status, body) {
  if (status === 0) {
    return `The console could not be reached (${body}).`;
  }
  const message = body && typeof body === 'object' ? body.message || body.error : body;
  const details = body && Array.isArray(body.details) && body.details.length
    ? ' — ' + body.details.map((d) => (d.path ? `${d.path}: ` : '') + d.message).join('; ')
    : '';
  const what = status === 401 ? 'Not signed in or the credential was refused'
    : status === 404 ? 'Not found'
    : status === 502 ? 'Service unreachable'
    : `HTTP ${status}`;
  return `${what} (${service}-service, ${status}): ${message || 'no details'}${details}`;
}

function queryString(query) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') {
      params.set(name, value);
    }
  }
  const text = params.toString();
  return text ? '?' + text : '';
}

/**
 * Calls one service through the console: api('delivery', '/v1/executions', {query: {status: 'FAILED'}}).
 * Answers the parsed JSON (or null for an empty body); throws ApiError otherwise.
 */
export async function api(service, path, { method = 'GET', query, body, contentType = 'application/json', credential } = {}) {
  const headers = { Accept: 'application/json' };
  const using = credential || session.get();
  if (using) {
    headers[using.kind === 'token' ? 'X-Auth-Token' : 'St2-Api-Key'] = using.value;
  }
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/api/${service}${path}${queryString(query)}`, { method, headers, body: payload, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(service, 0, e.message);
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    throw new ApiError(service, response.status, data);
  }
  return data;
}

/** Every page of a cursor-paged list, up to a bound, for bulk actions over a filtered set. */
export async function allPages(service, path, query, max = 5000) {
  const items = [];
  let cursor;
  do {
    const page = await api(service, path, { query: { ...query, limit: 500, cursor } });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

let settings;
/** What the console was configured with: where senders reach ingest (for the webhooks' copyable URLs). */
export async function consoleSettings() {
  if (!settings) {
    const response = await fetch('/console-settings.json', { cache: 'no-store' });
    settings = await response.json();
  }
  return settings;
}
