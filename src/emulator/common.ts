import { randomBytes, randomUUID } from 'node:crypto';
import { invalidParameter, duplicate } from './errors';
import type { RequestContext } from './router';
import type { Tags } from './model';

export const newId = (): string => randomUUID();

/** Page options that expose client bugs: short pages that still carry a token, shuffled order. */
export interface PaginationQuirks {
  /** Return at most this many items a page, whatever MaxResults asks. 0 = off. */
  shortPages: number;
  /** Shuffle the items of each listing. */
  shuffle: boolean;
}

interface PageToken {
  o: number;
  /** Makes every token distinct, so a client looping on a repeated token is caught. */
  n: string;
}

export function encodeToken(offset: number): string {
  const token: PageToken = { o: offset, n: randomBytes(6).toString('hex') };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageToken;
    if (Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through to the error below
  }
  throw invalidParameter('The NextToken is not valid.');
}

export interface PageLimits {
  /** The model's maximum for MaxResults; more is a 400. */
  max: number;
  /** Page size when MaxResults is absent. */
  defaultPage: number;
}

/**
 * One page of a listing. Items are sorted by a stable key first so the offset token stays
 * meaningful across calls; the shuffle quirk then permutes the page itself.
 */
export function paginate<T>(
  ctx: RequestContext,
  items: T[],
  limits: PageLimits,
  input: { nextToken?: unknown; maxResults?: unknown },
): { page: T[]; nextToken?: string } {
  const rawMax = input.maxResults;
  let maxResults = limits.defaultPage;
  if (rawMax !== undefined && rawMax !== null && rawMax !== '') {
    const n = Number(rawMax);
    if (!Number.isInteger(n) || n < 1 || n > limits.max) {
      throw invalidParameter(
        `MaxResults must be an integer between 1 and ${limits.max}; got ${String(rawMax)}.`,
      );
    }
    maxResults = n;
  }
  const quirks = ctx.emulator.options.pagination;
  if (quirks.shortPages > 0) maxResults = Math.min(maxResults, quirks.shortPages);
  const offset =
    typeof input.nextToken === 'string' && input.nextToken !== ''
      ? decodeToken(input.nextToken)
      : 0;
  const page = items.slice(offset, offset + maxResults);
  if (quirks.shuffle) shuffleInPlace(page);
  const next = offset + maxResults;
  return { page, nextToken: next < items.length ? encodeToken(next) : undefined };
}

function shuffleInPlace<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

export function queryPage(ctx: RequestContext) {
  return {
    nextToken: ctx.query.get('nextToken') ?? undefined,
    maxResults: ctx.query.get('maxResults') ?? undefined,
  };
}

export function bodyPage(ctx: RequestContext) {
  return { nextToken: ctx.body.NextToken, maxResults: ctx.body.MaxResults };
}

/** Stable listing order: by id, so tokens (offsets) are stable between calls. */
export function byId<T extends { Id: string }>(records: Record<string, T>): T[] {
  return Object.values(records).sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
}

export function requireString(
  body: Record<string, unknown>,
  member: string,
  limits: { min?: number; max?: number } = {},
): string {
  const value = body[member];
  if (typeof value !== 'string') throw invalidParameter(`${member} is required.`);
  checkLength(member, value, limits);
  return value;
}

export function optionalString(
  body: Record<string, unknown>,
  member: string,
  limits: { min?: number; max?: number } = {},
): string | undefined {
  const value = body[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`${member} must be a string.`);
  checkLength(member, value, limits);
  return value;
}

function checkLength(member: string, value: string, limits: { min?: number; max?: number }) {
  if (limits.min !== undefined && value.length < limits.min) {
    throw invalidParameter(`${member} must be at least ${limits.min} characters long.`);
  }
  if (limits.max !== undefined && value.length > limits.max) {
    throw invalidParameter(`${member} must be at most ${limits.max} characters long.`);
  }
}

/**
 * Names are unique per resource type in an instance. Matching is exact (case-sensitive) unless
 * the emulator runs with `caseInsensitiveNames`, since whether Connect lets `Foo` and `foo`
 * coexist is not documented.
 */
export function assertUniqueName(
  ctx: RequestContext,
  records: Iterable<{ Id: string; Name?: string }>,
  name: string,
  kind: string,
  exceptId?: string,
): void {
  const fold = ctx.emulator.options.caseInsensitiveNames;
  const key = fold ? name.toLowerCase() : name;
  for (const record of records) {
    if (record.Id === exceptId || record.Name === undefined) continue;
    if ((fold ? record.Name.toLowerCase() : record.Name) === key) {
      throw duplicate(`${kind} with name ${name} already exists.`);
    }
  }
}

const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function validateTags(tags: unknown): Tags {
  if (tags === undefined || tags === null) return {};
  if (typeof tags !== 'object' || Array.isArray(tags)) {
    throw invalidParameter('Tags must be a map of strings.');
  }
  const entries = Object.entries(tags as Record<string, unknown>);
  if (entries.length > 50) throw invalidParameter('A resource can have at most 50 tags.');
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > 128 || !TAG_KEY.test(key)) {
      throw invalidParameter(`Tag key ${JSON.stringify(key)} is not valid.`);
    }
    if (typeof value !== 'string' || value.length > 256) {
      throw invalidParameter(`Tag value for ${JSON.stringify(key)} is not valid.`);
    }
  }
  return { ...(tags as Tags) };
}

/** Connect returns `Tags` only when a resource has some. */
export function tagsOut(tags: Tags): Tags | undefined {
  return Object.keys(tags).length > 0 ? { ...tags } : undefined;
}

/** Accepts a bare id or an ARN of this instance for a reference member; returns the bare id. */
export function idFromReference(value: string): string {
  if (!value.startsWith('arn:')) return value;
  return value.slice(value.lastIndexOf('/') + 1);
}
