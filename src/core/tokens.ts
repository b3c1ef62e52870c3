/**
 * Portable references. Flow content and resource settings name other resources by id or ARN, which
 * differ per instance; tokenize replaces each reference to this instance with a token naming the
 * resource by kind and name (`{{cc:arn:queue:Sales}}`), and resolve turns tokens back into the ids
 * and ARNs of a given mapping. Both walk parsed JSON and rewrite string VALUES only, in a single
 * regular-expression pass per string, so a thousand flows take well under a second.
 */
import {
  isResourceKind,
  MappingIndex,
  type Mapping,
  type MappingLookup,
  type ResourceKind,
} from './mapping';
import { lambdaArn, portableLambdaName, portableName, type LambdaOverrides } from './naming';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Written for literal `{{cc:` text, so text that merely looks like a token survives. */
export const OPEN_TOKEN = '{{cc:open}}';
const OPEN = '{{cc:';

/**
 * Values under these keys are the flow's own action identifiers: they are often UUIDs and could be
 * mistaken for resource ids, but they never name a resource.
 */
const INTERNAL_KEYS = new Set(['Identifier', 'StartAction', 'NextAction']);

/** Lex V1 bot names (`^([A-Za-z]_?)+$` in Lex); anything else in `LexBot.Name` stays literal. */
const LEX_V1_NAME = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d+';

/**
 * One pass finds, leftmost first: literal `{{cc:`, template placeholders (kept whole so nothing
 * inside them is rewritten), Connect, Lambda and Lex V2 ARNs, and bare UUIDs. Qualifiers such as
 * `:$SAVED` or `:live` are outside the ARN match and so stay literal after the token.
 */
const SCAN = new RegExp(
  [
    '(?<open>\\{\\{cc:)',
    '(?<placeholder>\\$\\{[^{}]*\\}|\\{\\{(?!cc:)[^{}]*\\}\\}|%[A-Za-z0-9_.-]+%)',
    `arn:(?<cp>aws[a-z-]*):connect:(?<cr>${REGION}):(?<ca>\\d{12}|aws):(?<crest>[A-Za-z0-9/_.-]*)`,
    `arn:(?<lp>aws[a-z-]*):lambda:(?<lr>${REGION}):(?<la>\\d{12}):function:(?<ln>[\\w-]{1,64})`,
    `arn:(?<xp>aws[a-z-]*):lex:(?<xr>${REGION}):(?<xa>\\d{12}):` +
      '(?:bot-alias/[A-Za-z0-9]+/[A-Za-z0-9]+|(?<v1>bot:[A-Za-z0-9_]+))',
    `(?<![A-Za-z0-9])(?<uuid>${UUID})(?![A-Za-z0-9])`,
  ].join('|'),
  'g',
);

const INSTANCE_REST = new RegExp(
  `^instance/(?<iid>${UUID})(?<res>/queue/agent/[A-Za-z0-9-]+|/[a-z-]+/[A-Za-z0-9-]+)?`,
);
const PHONE_REST = /^phone-number\/[A-Za-z0-9-]+/;

export interface ReferenceFinding {
  /** JSON path of the string holding the reference, e.g. `Actions[3].Parameters.QueueId`. */
  path: string;
  /** The reference as written (the ARN or id, without any qualifier). */
  value: string;
  reason: string;
}

export interface DiscoveredLambda {
  /** Portable name (naming rule or override applied). */
  name: string;
  /** Unqualified function ARN. */
  arn: string;
}

export interface DiscoveredLexBot {
  name: string;
  realName: string;
  region: string;
}

export interface TokenizeFindings {
  /** References to other instances, accounts or regions: kept literal. */
  foreign: ReferenceFinding[];
  /** References into this instance (or account) that the mapping does not know: kept literal. */
  unknown: ReferenceFinding[];
  /** Lambda functions of this account and region met in content but not yet in the mapping. */
  lambdas: DiscoveredLambda[];
  /** Lex V1 bots of this region met in content but not yet in the mapping. */
  lexBots: DiscoveredLexBot[];
  /** Tokens written, by kind (`instance`, `region`, `open` for escaped literal text). */
  counts: Record<string, number>;
}

export interface TokenizeContext {
  mapping: MappingLookup;
  lambdaOverrides?: LambdaOverrides;
}

export interface Tokenized<T = Json> {
  value: T;
  findings: TokenizeFindings;
}

export function encodeTokenName(name: string): string {
  return name.replace(/[%{}]/g, (c) => (c === '%' ? '%25' : c === '{' ? '%7B' : '%7D'));
}

export function decodeTokenName(encoded: string): string {
  return encoded.replace(/%(25|7B|7D)/gi, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

export function token(form: 'arn' | 'id' | 'name', kind: ResourceKind, name: string): string {
  return `{{cc:${form}:${kind}:${encodeTokenName(name)}}}`;
}

type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

function escapeOnly(s: string): string {
  return s.includes(OPEN) ? s.split(OPEN).join(OPEN_TOKEN) : s;
}

class Tokenizer {
  readonly findings: TokenizeFindings = {
    foreign: [],
    unknown: [],
    lambdas: [],
    lexBots: [],
    counts: {},
  };
  private readonly path: PathSegment[] = [];
  private readonly discoveredLambdas = new Map<string, string>(); // arn -> portable name
  private readonly discoveredLambdaNames = new Set<string>();
  private readonly discoveredBots = new Set<string>();

  constructor(private readonly ctx: TokenizeContext) {}

  private count(kind: string): void {
    this.findings.counts[kind] = (this.findings.counts[kind] ?? 0) + 1;
  }

  private report(list: 'foreign' | 'unknown', value: string, reason: string): void {
    this.findings[list].push({ path: formatPath(this.path), value, reason });
  }

  walk(value: Json, key: string | undefined): Json {
    if (typeof value === 'string') return this.string(value, key);
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const out: Json[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        this.path.push(i);
        out[i] = this.walk(value[i], key);
        this.path.pop();
      }
      return out;
    }
    const out: { [key: string]: Json } = {};
    const lexName = key === 'LexBot' ? this.lexV1(value) : undefined;
    for (const k of Object.keys(value)) {
      this.path.push(k);
      if (lexName !== undefined && k === 'Name') out[k] = lexName;
      else if (lexName !== undefined && k === 'Region') out[k] = '{{cc:region}}';
      else out[k] = this.walk(value[k], k);
      this.path.pop();
    }
    return out;
  }

  /** Lex V1 bots are referenced by name and region, not ARN; only this region's are portable. */
  private lexV1(bot: { [key: string]: Json }): string | undefined {
    const { Name: name, Region: region } = bot;
    if (typeof name !== 'string' || typeof region !== 'string') return undefined;
    if (region !== this.ctx.mapping.scope.region || !LEX_V1_NAME.test(name)) return undefined;

    const index = this.ctx.mapping;
    const portable = portableName(name, index.mapping.naming.lex);
    const known = index.entry('lex-bot', portable);
    if (known && known.name !== name) {
      this.path.push('Name');
      this.report('unknown', name, `another Lex bot is already mapped as "${portable}"`);
      this.path.pop();
      return undefined;
    }
    if (!known && !this.discoveredBots.has(portable)) {
      this.discoveredBots.add(portable);
      this.findings.lexBots.push({ name: portable, realName: name, region });
    }
    this.count('lex-bot');
    this.count('region');
    return token('name', 'lex-bot', portable);
  }

  private string(s: string, key: string | undefined): string {
    if ((key !== undefined && INTERNAL_KEYS.has(key)) || s.startsWith('$.')) return escapeOnly(s);
    return s.replace(SCAN, (match: string, ...args: unknown[]) => {
      const g = args[args.length - 1] as Record<string, string | undefined>;
      if (g.open !== undefined) {
        this.count('open');
        return OPEN_TOKEN;
      }
      if (g.placeholder !== undefined) return match;
      if (g.crest !== undefined) return this.connectArn(match, g);
      if (g.ln !== undefined) return this.lambda(match, g);
      if (g.xp !== undefined) return this.lexV2(match, g);
      return this.bareId(match);
    });
  }

  private bareId(id: string): string {
    const index = this.ctx.mapping;
    if (id === index.scope.id) {
      this.count('instance');
      return '{{cc:id:instance}}';
    }
    const ref = index.byId(id);
    if (!ref) return id;
    this.count(ref.kind);
    return token('id', ref.kind, ref.name);
  }

  private foreignReason(partition: string, region: string, account: string): string | undefined {
    const scope = this.ctx.mapping.scope;
    if (account !== scope.account) return `account ${account}`;
    if (region !== scope.region) return `region ${region}`;
    if (partition !== scope.partition) return `partition ${partition}`;
    return undefined;
  }

  private connectArn(match: string, g: Record<string, string | undefined>): string {
    const [partition, region, account, rest] = [g.cp!, g.cr!, g.ca!, g.crest!];
    if (account === 'aws') return match; // AWS-owned (managed views): the same everywhere
    const prefix = `arn:${partition}:connect:${region}:${account}:`;

    const instance = INSTANCE_REST.exec(rest);
    const phone = instance ? null : PHONE_REST.exec(rest);
    if (!instance && !phone) return match;

    const foreign = this.foreignReason(partition, region, account);
    if (foreign) {
      this.report('foreign', match, foreign);
      return match;
    }
    if (instance && instance.groups!.iid !== this.ctx.mapping.scope.id) {
      this.report('foreign', match, `instance ${instance.groups!.iid}`);
      return match;
    }
    if (instance && instance.groups!.res === undefined) {
      this.count('instance');
      return '{{cc:arn:instance}}' + rest.slice(instance[0].length);
    }

    const base = prefix + (instance ? instance[0] : phone![0]);
    const ref = this.ctx.mapping.byArn(base);
    if (!ref) {
      this.report('unknown', match, 'not in the mapping of this instance');
      return match;
    }
    this.count(ref.kind);
    return token('arn', ref.kind, ref.name) + match.slice(base.length);
  }

  private lambda(match: string, g: Record<string, string | undefined>): string {
    const index = this.ctx.mapping;
    const arn = lambdaArn({ partition: g.lp!, region: g.lr!, account: g.la!, name: g.ln! });
    // A function associated with the instance belongs to the environment even when it lives in
    // another account or region (Connect allows both); only unassociated ones there are foreign.
    const ref = index.byArn(arn);
    if (ref) {
      this.count(ref.kind);
      return token('arn', ref.kind, ref.name);
    }
    const foreign = this.foreignReason(g.lp!, g.lr!, g.la!);
    if (foreign) {
      this.report('foreign', match, foreign);
      return match;
    }

    let name = this.discoveredLambdas.get(arn);
    if (name === undefined) {
      name = portableLambdaName(g.ln!, index.mapping.naming, this.ctx.lambdaOverrides);
      if (index.entry('lambda', name) || this.discoveredLambdaNames.has(name)) {
        this.report('unknown', match, `another Lambda function is already mapped as "${name}"`);
        return match;
      }
      this.discoveredLambdas.set(arn, name);
      this.discoveredLambdaNames.add(name);
      this.findings.lambdas.push({ name, arn });
    }
    this.count('lambda');
    return token('arn', 'lambda', name);
  }

  private lexV2(match: string, g: Record<string, string | undefined>): string {
    const ref = this.ctx.mapping.byArn(match);
    if (ref) {
      this.count(ref.kind);
      return token('arn', ref.kind, ref.name);
    }
    const foreign = this.foreignReason(g.xp!, g.xr!, g.xa!);
    if (foreign) this.report('foreign', match, foreign);
    // Lex V1 bots are mapped by the name in LexBot.Name; an ARN of one would otherwise be copied
    // to another environment unchanged and unnoticed.
    else if (g.v1 !== undefined) this.report('unknown', match, 'Lex V1 bot ARN: map it by name');
    else this.report('unknown', match, 'Lex V2 alias not associated with the instance');
    return match;
  }
}

/**
 * Replaces every reference to this instance in `value` with a token. Nothing is mutated: the result
 * is a new value. Lambda functions and Lex V1 bots not yet in the mapping are tokenized and listed
 * in the findings; the caller adds them to the mapping (see addDiscovered) before resolving.
 */
export function tokenize<T extends Json>(value: T, ctx: TokenizeContext): Tokenized<T> {
  const tokenizer = new Tokenizer(ctx);
  const out = tokenizer.walk(value, undefined) as T;
  return { value: out, findings: tokenizer.findings };
}

/** Records what tokenize discovered, so that resolve (and mapping.json) know it. */
export function addDiscovered(index: MappingIndex, findings: TokenizeFindings): void {
  for (const l of findings.lambdas) index.add('lambda', l.name, { arn: l.arn });
  for (const b of findings.lexBots)
    index.add('lex-bot', b.name, { name: b.realName, region: b.region });
}

export interface UnresolvedToken {
  token: string;
  path: string;
  reason: string;
}

export interface Resolved<T = Json> {
  value: T;
  unresolved: UnresolvedToken[];
}

const TOKEN = /\{\{cc:([^{}]*)\}\}/g;

class Resolver {
  readonly unresolved: UnresolvedToken[] = [];
  private readonly path: PathSegment[] = [];

  constructor(private readonly index: MappingIndex) {}

  walk(value: Json): Json {
    if (typeof value === 'string') return this.string(value);
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const out: Json[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        this.path.push(i);
        out[i] = this.walk(value[i]);
        this.path.pop();
      }
      return out;
    }
    const out: { [key: string]: Json } = {};
    for (const k of Object.keys(value)) {
      this.path.push(k);
      out[k] = this.walk(value[k]);
      this.path.pop();
    }
    return out;
  }

  private string(s: string): string {
    if (!s.includes(OPEN)) return s;
    return s.replace(TOKEN, (whole: string, inner: string) => {
      const resolved = this.token(inner);
      if (typeof resolved === 'string') return resolved;
      this.unresolved.push({ token: whole, path: formatPath(this.path), reason: resolved.reason });
      return whole;
    });
  }

  private token(inner: string): string | { reason: string } {
    const instance = this.index.mapping.instance;
    switch (inner) {
      case 'open':
        return OPEN;
      case 'region':
        return instance.region;
      case 'account':
        return instance.account;
      case 'arn:instance':
        return instance.arn;
      case 'id:instance':
        return instance.id;
    }
    const first = inner.indexOf(':');
    const second = first < 0 ? -1 : inner.indexOf(':', first + 1);
    if (second < 0) return { reason: 'not a connect-copy token' };
    const form = inner.slice(0, first);
    const kind = inner.slice(first + 1, second);
    const name = decodeTokenName(inner.slice(second + 1));
    if (!isResourceKind(kind)) return { reason: `unknown kind "${kind}"` };

    const entry = this.index.entry(kind, name);
    if (!entry) return { reason: `no ${kind} named "${name}" in the mapping` };
    const field =
      form === 'arn'
        ? entry.arn
        : form === 'id'
          ? entry.id
          : form === 'name'
            ? entry.name
            : undefined;
    if (field === undefined) return { reason: `the mapping has no ${form} for ${kind} "${name}"` };
    return field;
  }
}

/** The inverse of tokenize: every token replaced with the id, ARN or name the mapping gives. */
export function resolve<T extends Json>(value: T, mapping: MappingIndex | Mapping): Resolved<T> {
  const index = mapping instanceof MappingIndex ? mapping : new MappingIndex(mapping);
  const resolver = new Resolver(index);
  return { value: resolver.walk(value) as T, unresolved: resolver.unresolved };
}
