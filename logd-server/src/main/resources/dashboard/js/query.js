// Building Lucene-syntax queries from clicks: field:value terms added to, or excluded from, a query.

const PLAIN = /^[\p{L}\p{N}_.@\/]+(?:-[\p{L}\p{N}_.@\/]+)*$/u;

/** A value as a query term: bare when it is one plain token, else quoted with \ and " escaped. */
export function term(value) {
  const v = String(value);
  if (PLAIN.test(v) && !/^(AND|OR|NOT|TO)$/.test(v)) return v;
  return `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** field:value, quoted as needed. */
export const clause = (field, value) => `${field}:${term(value)}`;

const isEmpty = (q) => !q || !q.trim() || q.trim() === '*';

/**
 * q narrowed by one more clause. A query with a top-level OR is parenthesised first, so the new
 * clause applies to all of it.
 */
export function narrow(q, field, value, exclude = false) {
  const c = (exclude ? 'NOT ' : '') + clause(field, value);
  if (isEmpty(q)) return c;
  const base = q.trim();
  if (base === c || base.split(' AND ').includes(c)) return base;
  return `${/\bOR\b/.test(base) ? `(${base})` : base} AND ${c}`;
}
