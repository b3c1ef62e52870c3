/**
 * Temporary local versions of core-tokens pieces (mapping type, file names, canonical rendering),
 * replaced by the real modules once that branch is merged.
 */
import { createHash } from 'node:crypto';

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
  resources: Partial<Record<string, Record<string, MappingEntry>>>;
  fingerprints: Record<string, string>;
}

export function fileNamesFor(names: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  const lower = new Map<string, number>();
  const escaped = [...new Set(names)].map((n) => [n, n.replace(/[/\\:*?"<>|%]/g, '_')]);
  for (const [, e] of escaped) lower.set(e.toLowerCase(), (lower.get(e.toLowerCase()) ?? 0) + 1);
  for (const [n, e] of escaped) {
    const clash = (lower.get(e.toLowerCase()) ?? 0) > 1;
    const hash = createHash('sha256').update(n).digest('hex').slice(0, 8);
    out.set(n, (clash ? `${e}~${hash}` : e) + '.json');
  }
  return out;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .map((k) => [k, sortKeys(obj[k])]),
    );
  }
  return value;
}

export function renderCanonical(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
}
