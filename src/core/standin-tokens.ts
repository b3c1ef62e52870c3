/**
 * Stand-in for core-tokens' mapping.ts and tokens.ts until that branch lands: the same exported
 * names and shapes, the smallest behaviour push needs. Deleted on merge.
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type ResourceKind =
  | 'flow'
  | 'module'
  | 'queue'
  | 'agent'
  | 'agent-queue'
  | 'hours'
  | 'prompt'
  | 'routing-profile'
  | 'quick-connect'
  | 'security-profile'
  | 'phone-number'
  | 'lambda'
  | 'lex-v2-alias'
  | 'lex-bot';
export interface MappingEntry {
  id?: string;
  arn?: string;
  name?: string;
  region?: string;
}
export interface Mapping {
  version: 1;
  environment: string;
  instance: { id: string; arn: string; alias: string; region: string; account: string };
  naming: { lambda: { prefix: string; suffix: string }; lex: { prefix: string; suffix: string } };
  resources: Partial<Record<ResourceKind, Record<string, MappingEntry>>>;
  fingerprints: Record<string, string>;
}
export interface UnresolvedToken {
  token: string;
  path: string;
  reason: string;
}
export function decodeTokenName(encoded: string): string {
  return encoded.replace(/%(25|7B|7D)/gi, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}
export function resolve<T extends Json>(
  value: T,
  mapping: Mapping,
): { value: T; unresolved: UnresolvedToken[] } {
  const unresolved: UnresolvedToken[] = [];
  const walk = (v: Json, path: string): Json => {
    if (typeof v === 'string') {
      return v.replace(/\{\{cc:([^{}]*)\}\}/g, (whole: string, inner: string) => {
        const i = mapping.instance;
        const fixed: Record<string, string> = {
          open: '{{cc:',
          region: i.region,
          account: i.account,
          'arn:instance': i.arn,
          'id:instance': i.id,
        };
        if (fixed[inner] !== undefined) return fixed[inner];
        const [form, kind] = inner.split(':');
        const name = decodeTokenName(inner.split(':').slice(2).join(':'));
        const entry = mapping.resources[kind as ResourceKind]?.[name];
        const out = form === 'arn' ? entry?.arn : form === 'id' ? entry?.id : entry?.name;
        if (out !== undefined) return out;
        unresolved.push({
          token: whole,
          path,
          reason: `no ${kind} named "${name}" in the mapping`,
        });
        return whole;
      });
    }
    if (Array.isArray(v)) return v.map((x, n) => walk(x, `${path}[${n}]`));
    if (v && typeof v === 'object') {
      const out: { [k: string]: Json } = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, path ? `${path}.${k}` : k);
      return out;
    }
    return v;
  };
  return { value: walk(value, '') as T, unresolved };
}
