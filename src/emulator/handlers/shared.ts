/**
 * The patterns every Connect resource family repeats: fetch by id or 404, summaries, List with
 * pagination, Search with criteria and tag filters, Delete with an in-use check, and quotas.
 */
import {
  assertUniqueName,
  bodyPage,
  byId,
  optionalString,
  paginate,
  PageLimits,
  queryPage,
  tagsOut,
} from '../common';
import { ApiError, invalidParameter, limitExceeded, notFound } from '../errors';
import { collectionOf, findResource, KindRecords } from '../lookup';
import { ArnKind, InstanceRecord, nowSeconds, resourceArn, Tags } from '../model';
import type { Handler, RequestContext, Route, Service } from '../router';
import type { ResourceQuotas } from '../server';
import {
  matchesCriteria,
  matchesTagFilter,
  SearchableType,
  SearchCriteria,
  tagFilterOf,
} from '../search';

export const route = (
  method: string,
  path: string,
  operation: string,
  handler: Handler,
  service?: Service,
): Route => ({ method, path, operation, handler, service });

/** "The default MaxResult size is 100" for List*, with the model's 1000 maximum. */
export const LIST_LIMITS: PageLimits = { max: 1000, defaultPage: 100 };

export interface Stamped {
  LastModifiedTime: number;
}

export function lastModified(instance: InstanceRecord, record: Stamped) {
  return { LastModifiedTime: record.LastModifiedTime, LastModifiedRegion: instance.Region };
}

export function touch(record: Stamped): void {
  record.LastModifiedTime = nowSeconds();
}

/** Connect's `*Id` body members take the bare id; an ARN of this instance is accepted too. */
export function requireReference<K extends ArnKind>(
  instance: InstanceRecord,
  kind: K,
  idOrArn: unknown,
  label: string,
): KindRecords[K] {
  if (typeof idOrArn !== 'string' || idOrArn === '') {
    throw invalidParameter(`${label} is required.`);
  }
  const record = findResource(instance, kind, idOrArn);
  if (!record) throw notFound(`${label} not found: ${idOrArn}`);
  return record;
}

export function integerIn(value: unknown, member: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(`${member} must be an integer between ${min} and ${max}.`);
  }
  return value;
}

export function oneOf<T extends string>(value: unknown, member: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidParameter(`${member} must be one of ${allowed.join(', ')}.`);
  }
  return value as T;
}

/** Members of the shape every Connect record shares. */
interface NamedRecord extends Stamped {
  Id: string;
  Name?: string;
  Tags: Tags;
}

export interface FamilySpec<K extends ArnKind> {
  kind: K;
  /** How error messages name the resource: "Queue", "Hours of operation". */
  label: string;
  /** The path label holding the id, e.g. `QueueId`. */
  idParam: string;
}

/** Helpers bound to one resource family, so each handler module stays a table of routes. */
export class Family<K extends ArnKind> {
  constructor(readonly spec: FamilySpec<K>) {}

  records(instance: InstanceRecord): Record<string, KindRecords[K]> {
    return collectionOf(instance, this.spec.kind);
  }

  all(instance: InstanceRecord): KindRecords[K][] {
    return byId(this.records(instance));
  }

  arn(instance: InstanceRecord, id: string): string {
    return resourceArn(instance, this.spec.kind, id);
  }

  /** The instance and the record named by the path, or a 404 naming the id. */
  get(ctx: RequestContext): { instance: InstanceRecord; record: KindRecords[K] } {
    const instance = ctx.instance();
    const id = ctx.params[this.spec.idParam] ?? '';
    const records = this.records(instance);
    if (!Object.prototype.hasOwnProperty.call(records, id)) {
      throw notFound(`${this.spec.label} not found: ${id || '(empty id)'}`);
    }
    return { instance, record: records[id] };
  }

  /**
   * Stores a new record after the checks every Create* makes: a unique name, then the
   * per-instance quota (LimitExceededException, 429, which the SDK retries as throttling).
   */
  insert(
    ctx: RequestContext,
    instance: InstanceRecord,
    record: KindRecords[K] & NamedRecord,
    quota: keyof ResourceQuotas,
  ): void {
    const records = this.records(instance);
    assertUniqueName(ctx, Object.values(records), record.Name ?? '', this.spec.label);
    const limit = ctx.emulator.options.quotas[quota];
    if (Object.keys(records).length >= limit) {
      throw limitExceeded(`${this.spec.label} quota of ${limit} per instance reached.`);
    }
    records[record.Id] = record;
  }

  /** The optional Name and Description members of Update*Name (and UpdatePrompt, ...). */
  rename(
    ctx: RequestContext,
    instance: InstanceRecord,
    record: KindRecords[K],
    description: { min?: number; max?: number },
  ): void {
    const target = record as KindRecords[K] & { Name?: string; Description?: string };
    const name = optionalString(ctx.body, 'Name', { min: 1, max: 127 });
    const text = optionalString(ctx.body, 'Description', description);
    if (name !== undefined) {
      const records = Object.values(this.records(instance));
      assertUniqueName(ctx, records, name, this.spec.label, record.Id);
      target.Name = name;
    }
    if (text !== undefined) target.Description = text;
  }

  /** The `Id, Arn, Name, LastModified*` summary most List* operations return. */
  summary(instance: InstanceRecord, record: KindRecords[K] & NamedRecord) {
    return {
      Id: record.Id,
      Arn: this.arn(instance, record.Id),
      Name: record.Name,
      ...lastModified(instance, record),
    };
  }

  describeRoute(
    path: string,
    operation: string,
    key: string,
    shape: (instance: InstanceRecord, record: KindRecords[K]) => unknown,
  ): Route {
    return route('GET', path, operation, (ctx) => {
      const { instance, record } = this.get(ctx);
      return { [key]: shape(instance, record) };
    });
  }

  listRoute(
    path: string,
    operation: string,
    key: string,
    shape: (instance: InstanceRecord, record: KindRecords[K]) => unknown,
    filter: (ctx: RequestContext, record: KindRecords[K]) => boolean = () => true,
  ): Route {
    return route('GET', path, operation, (ctx) => {
      const instance = ctx.instance();
      const items = this.all(instance).filter((record) => filter(ctx, record));
      const { page, nextToken } = paginate(ctx, items, LIST_LIMITS, queryPage(ctx));
      return { [key]: page.map((record) => shape(instance, record)), NextToken: nextToken };
    });
  }

  searchRoute(
    path: string,
    operation: string,
    key: string,
    max: number,
    type: SearchableType<KindRecords[K]>,
    shape: (instance: InstanceRecord, record: KindRecords[K]) => unknown,
  ): Route {
    return route('POST', path, operation, (ctx) => {
      const instance = ctx.instance();
      const criteria = ctx.body.SearchCriteria as SearchCriteria | undefined;
      const tagFilter = tagFilterOf(ctx.body.SearchFilter);
      const items = this.all(instance).filter(
        (record) =>
          matchesTagFilter((record as NamedRecord).Tags, tagFilter) &&
          matchesCriteria(record, criteria, type),
      );
      const limits = { max, defaultPage: max };
      const { page, nextToken } = paginate(ctx, items, limits, bodyPage(ctx));
      return {
        [key]: page.map((record) => shape(instance, record)),
        NextToken: nextToken,
        ApproximateTotalCount: items.length,
      };
    });
  }

  /** A POST that changes one record: `apply` validates and assigns, then the record is stamped. */
  updateRoute(
    path: string,
    operation: string,
    apply: (ctx: RequestContext, instance: InstanceRecord, record: KindRecords[K]) => unknown,
  ): Route {
    return route('POST', path, operation, (ctx) => {
      const { instance, record } = this.get(ctx);
      const result = apply(ctx, instance, record);
      touch(record);
      return result ?? {};
    });
  }

  /**
   * Delete, unless `inUse` names what still references the record (409 ResourceInUseException);
   * `cleanup` then drops references that do not block deletion.
   */
  deleteRoute(
    path: string,
    operation: string,
    inUse: (instance: InstanceRecord, record: KindRecords[K]) => ApiError | undefined = () =>
      undefined,
    cleanup: (instance: InstanceRecord, id: string) => void = () => undefined,
  ): Route {
    return route('DELETE', path, operation, (ctx) => {
      const { instance, record } = this.get(ctx);
      const blocked = inUse(instance, record);
      if (blocked) throw blocked;
      delete this.records(instance)[record.Id];
      cleanup(instance, record.Id);
      return {};
    });
  }
}

/** Search fields every family supports; families add their own. */
export const NAME_FIELDS = {
  name: (r: { Name?: string }) => r.Name,
  description: (r: { Description?: string }) => r.Description,
  resourceID: (r: { Id: string }) => r.Id,
};

export { tagsOut };
