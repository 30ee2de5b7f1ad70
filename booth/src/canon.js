// Canonical JSON of spec/record.md §2: what Python's json.dumps(v, sort_keys=True, separators=(",", ":"),
// ensure_ascii=False, allow_nan=False) produces. Keys sorted by code point, no whitespace, integers only,
// no floats, booleans or null; strings escaped as JSON.stringify does (", \\, \b \t \n \f \r, other
// controls as \u00xx lowercase, everything else literal), which is exactly Python's escaping.
import { BoothError } from './group.js';

function codePointCompare(a, b) {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function string(text) {
  if (/[\uD800-\uDFFF]/.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) {
    throw new BoothError('canon', 'a string with a lone surrogate has no UTF-8 encoding');
  }
  return JSON.stringify(text);
}

/** The canonical JSON text of a plain value (objects, arrays, strings, safe integers). */
export function canon(value) {
  if (typeof value === 'string') return string(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new BoothError('canon', 'no floats in canonical JSON');
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(canon).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort(codePointCompare);
    return `{${keys.map((k) => `${string(k)}:${canon(value[k])}`).join(',')}}`;
  }
  throw new BoothError('canon', `${value === null ? 'null' : typeof value} is not allowed in canonical JSON`);
}
