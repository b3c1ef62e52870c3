/**
 * Reading tokens back out of canonical files: which resources a file references, where, and
 * renaming a referenced resource. The token grammar is the one tokenize writes:
 * `{{cc:<form>:<kind>:<name>}}` with `%`, `{` and `}` percent-encoded in the name, plus the
 * instance-wide tokens and `{{cc:open}}` for literal text.
 */
import { isObject } from './env-files';
import { decodeTokenName, encodeTokenName } from './tokens';

export { decodeTokenName, encodeTokenName };

export type TokenForm = 'arn' | 'id' | 'name';

export type TokenRef =
  | { type: 'resource'; raw: string; form: TokenForm; kind: string; name: string }
  | { type: 'instance'; raw: string; form: TokenForm }
  | { type: 'region' | 'account' | 'open'; raw: string }
  | { type: 'malformed'; raw: string };

/** Names cannot hold `{` or `}` (encoded), so the first `}}` always ends the token. */
const TOKEN = /\{\{cc:([^{}]*)\}\}/g;

function parseInner(raw: string, inner: string): TokenRef {
  if (inner === 'open') return { type: 'open', raw };
  if (inner === 'region' || inner === 'account') return { type: inner, raw };
  const first = inner.indexOf(':');
  if (first === -1) return { type: 'malformed', raw };
  const form = inner.slice(0, first);
  if (form !== 'arn' && form !== 'id' && form !== 'name') return { type: 'malformed', raw };
  const rest = inner.slice(first + 1);
  if (rest === 'instance') return { type: 'instance', raw, form };
  const second = rest.indexOf(':');
  if (second <= 0) return { type: 'malformed', raw };
  const kind = rest.slice(0, second);
  return { type: 'resource', raw, form, kind, name: decodeTokenName(rest.slice(second + 1)) };
}

/** Every token in one string value, in order; `{{cc:open}}` comes back as type `open`. */
export function scanTokens(value: string): TokenRef[] {
  const refs: TokenRef[] = [];
  for (const m of value.matchAll(TOKEN)) refs.push(parseInner(m[0], m[1]));
  return refs;
}

/** `{{cc:` not followed by a complete token: tokenize never writes it, a hand edit can. */
export function hasBrokenToken(value: string): boolean {
  return value.replace(TOKEN, '').includes('{{cc:');
}

export interface FoundToken {
  /** JSON path, `$.Content.Actions[3].Parameters.QueueId`. */
  path: string;
  value: string;
  ref: TokenRef;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * Calls `visit` for every string value (never an object key) under `value`. The JSON path is
 * built only when asked for: most strings hold no token, and a thousand flows hold millions.
 */
export function walkStrings(
  value: unknown,
  visit: (text: string, path: () => string) => void,
  root = '$',
): void {
  const segments: (string | number)[] = [];
  const path = () => segments.reduce<string>((p, s) => childPath(p, s), root);
  const walk = (v: unknown): void => {
    if (typeof v === 'string') visit(v, path);
    else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        segments.push(i);
        walk(v[i]);
        segments.pop();
      }
    } else if (isObject(v)) {
      for (const key of Object.keys(v)) {
        segments.push(key);
        walk(v[key]);
        segments.pop();
      }
    }
  };
  walk(value);
}

/** Every token under `value`, with the JSON path of the string holding it. */
export function findTokens(value: unknown, root = '$'): FoundToken[] {
  const found: FoundToken[] = [];
  walkStrings(
    value,
    (text, path) => {
      if (!text.includes('{{cc:')) return;
      const at = path();
      for (const ref of scanTokens(text)) found.push({ path: at, value: text, ref });
    },
    root,
  );
  return found;
}

export interface TokenRename {
  kind: string;
  from: string;
  to: string;
}

/**
 * A copy of `value` with every resource token naming a renamed resource pointing at its new name
 * (any form, qualifiers after the token kept); the same object when nothing changed. All renames
 * apply at once, so swapping two names works.
 */
export function renameTokens<T>(value: T, renames: readonly TokenRename[]): T {
  if (renames.length === 0) return value;
  const byOld = new Map(renames.map((r) => [`${r.kind}:${r.from}`, r]));
  const rewriteToken = (raw: string, inner: string): string => {
    const ref = parseInner(raw, inner);
    if (ref.type !== 'resource') return raw;
    const rename = byOld.get(`${ref.kind}:${ref.name}`);
    return rename ? `{{cc:${ref.form}:${ref.kind}:${encodeTokenName(rename.to)}}}` : raw;
  };
  const rewrite = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.includes('{{cc:') ? v.replace(TOKEN, rewriteToken) : v;
    }
    if (Array.isArray(v)) {
      const next = v.map(rewrite);
      return next.some((x, i) => x !== v[i]) ? next : v;
    }
    if (isObject(v)) {
      let changed = false;
      const next: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        next[key] = rewrite(v[key]);
        if (next[key] !== v[key]) changed = true;
      }
      return changed ? next : v;
    }
    return v;
  };
  return rewrite(value) as T;
}

/** `queue Sales`, `lambda lookup`: how a reference reads in a diff or a report. */
export function describeRef(ref: TokenRef): string | undefined {
  return ref.type === 'resource' ? `${ref.kind} ${ref.name}` : undefined;
}
