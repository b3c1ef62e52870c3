/**
 * Evaluation of the Search* APIs' criteria and tag filters, shared by every resource type.
 * https://docs.aws.amazon.com/connect/latest/APIReference/API_SearchContactFlows.html
 */
import { invalidParameter } from './errors';
import type { Tags } from './model';

export interface StringCondition {
  FieldName?: string;
  Value?: string;
  ComparisonType?: 'STARTS_WITH' | 'CONTAINS' | 'EXACT' | string;
}

export interface SearchCriteria {
  OrConditions?: SearchCriteria[];
  AndConditions?: SearchCriteria[];
  StringCondition?: StringCondition;
  [leaf: string]: unknown;
}

export interface TagPair {
  TagKey?: string;
  TagValue?: string;
}

export interface TagFilter {
  OrConditions?: TagPair[][];
  AndConditions?: TagPair[];
  TagCondition?: TagPair;
}

/**
 * How one resource type answers criteria: the string fields its StringCondition may name
 * (lower-case, as documented) and its type-specific leaf conditions (`TypeCondition`, ...).
 */
export interface SearchableType<T> {
  fields: Record<string, (record: T) => string | string[] | undefined>;
  leaves?: Record<string, (record: T, value: unknown) => boolean>;
}

export function matchesCriteria<T>(
  record: T,
  criteria: SearchCriteria | undefined,
  type: SearchableType<T>,
): boolean {
  if (!criteria) return true;
  if (criteria.OrConditions && criteria.OrConditions.length > 0) {
    if (!criteria.OrConditions.some((c) => matchesCriteria(record, c, type))) return false;
  }
  if (criteria.AndConditions && criteria.AndConditions.length > 0) {
    if (!criteria.AndConditions.every((c) => matchesCriteria(record, c, type))) return false;
  }
  if (criteria.StringCondition) {
    if (!matchesString(record, criteria.StringCondition, type)) return false;
  }
  for (const [key, value] of Object.entries(criteria)) {
    if (key === 'OrConditions' || key === 'AndConditions' || key === 'StringCondition') continue;
    if (value === undefined || value === null) continue;
    const leaf = type.leaves?.[key];
    if (!leaf) throw invalidParameter(`SearchCriteria does not support ${key} for this resource.`);
    if (!leaf(record, value)) return false;
  }
  return true;
}

function matchesString<T>(record: T, condition: StringCondition, type: SearchableType<T>): boolean {
  const field = condition.FieldName ?? '';
  const accessor = type.fields[field];
  if (!accessor) throw invalidParameter(`FieldName ${field} is not searchable for this resource.`);
  const wanted = condition.Value ?? '';
  const raw = accessor(record);
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  // EXACT is case-sensitive; the partial matches behave case-insensitively, as the console does.
  return values.some((value) => {
    switch (condition.ComparisonType) {
      case 'EXACT':
        return value === wanted;
      case 'STARTS_WITH':
        return value.toLowerCase().startsWith(wanted.toLowerCase());
      case 'CONTAINS':
        return value.toLowerCase().includes(wanted.toLowerCase());
      default:
        throw invalidParameter(`ComparisonType ${String(condition.ComparisonType)} is not valid.`);
    }
  });
}

export function matchesTagFilter(tags: Tags, filter: TagFilter | undefined): boolean {
  if (!filter) return true;
  const has = (pair: TagPair) =>
    pair.TagKey !== undefined &&
    tags[pair.TagKey] !== undefined &&
    (pair.TagValue === undefined || tags[pair.TagKey] === pair.TagValue);
  if (filter.TagCondition && !has(filter.TagCondition)) return false;
  if (filter.AndConditions && !filter.AndConditions.every(has)) return false;
  if (filter.OrConditions && filter.OrConditions.length > 0) {
    if (!filter.OrConditions.some((group) => group.every(has))) return false;
  }
  return true;
}

/** The tag filter sits under a type-specific key of SearchFilter (`TagFilter`, or inside
 * `FlowAttributeFilter` for flows). */
export function tagFilterOf(searchFilter: unknown): TagFilter | undefined {
  if (!searchFilter || typeof searchFilter !== 'object') return undefined;
  return (searchFilter as { TagFilter?: TagFilter }).TagFilter;
}
