// The dashboard's only way to the server. The session cookie (HttpOnly) authenticates every call;
// requests that change something add X-Logd-Request, which a cross-site form cannot send.

/** An error answer in the API's shape: {error: {code, message, position?}}. */
export class ApiError extends Error {
  constructor(status, code, message, position) {
    super(message);
    this.status = status;
    this.code = code;
    this.position = position;
  }
}

const listeners = new Set();

/** Calls fn() when the server says the session is gone (401). */
export function onSignedOut(fn) {
  listeners.add(fn);
}

/** The URL of an API path with query parameters; empty and null values are left out. */
export function url(path, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v != null && v !== '') qs.set(k, v);
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * Calls the API and answers the parsed JSON body (null for 204). Throws ApiError for an error
 * answer, and for a network failure (status 0). `signal` aborts it.
 */
export async function api(path, {method = 'GET', params, body, signal, quiet401 = false} = {}) {
  const headers = {Accept: 'application/json'};
  if (method !== 'GET' && method !== 'HEAD') headers['X-Logd-Request'] = '1';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url(path, params), {
      method, headers, signal, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'unreachable', 'logd cannot be reached; is it running?');
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page, say: reported below with the status.
  }
  if (!res.ok) {
    const err = json && json.error ? json.error : {};
    if (res.status === 401 && !quiet401) listeners.forEach((fn) => fn());
    throw new ApiError(res.status, err.code || `http_${res.status}`, err.message || `${res.status} ${res.statusText}`,
      err.position);
  }
  return json;
}
