/**
 * Contact flow modules: create (validated, idempotent by ClientToken), describe (`:$SAVED` draft),
 * list, search, content and metadata updates, delete. Modules have their own name namespace.
 * https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateContactFlowModule.html
 */
import { asksForSaved } from './flows';
import {
  assertUniqueName,
  bodyPage,
  byId,
  newId,
  optionalString,
  paginate,
  queryPage,
  requireString,
  tagsOut,
  validateTags,
} from '../common';
import {
  ApiError,
  invalidContactFlowModule,
  invalidParameter,
  limitExceeded,
  notFound,
} from '../errors';
import { InstanceRecord, ModuleRecord, nowSeconds, resourceArn } from '../model';
import type { RequestContext, Route } from '../router';
import { matchesCriteria, matchesTagFilter, SearchableType, tagFilterOf } from '../search';
import { NOT_A_JSON_OBJECT, parseContentObject, validateContent } from '../validate';
import { requireContent, sha256, splitQualifier } from './flows';

const LIST_LIMITS = { max: 1000, defaultPage: 100 };
const SEARCH_LIMITS = { max: 100, defaultPage: 100 };
const NAME_LIMITS = { min: 1, max: 127 };
const DESCRIPTION_LIMITS = { max: 500 };
const INVALID_SETTINGS = 'Invalid flow module settings. Settings must be a JSON object.';

function findModule(instance: InstanceRecord, id: string): ModuleRecord {
  const module = instance.modules[id];
  if (!module) throw notFound(`Flow module not found: ${id}`);
  return module;
}

/** The SDK sends ACTIVE/ARCHIVED; the lower-case form real responses use is accepted as well. */
function state(member: string, value: unknown): ModuleRecord['State'] {
  const upper = typeof value === 'string' ? value.toUpperCase() : '';
  if (upper !== 'ACTIVE' && upper !== 'ARCHIVED') {
    throw invalidParameter(`${member} must be ACTIVE or ARCHIVED; got ${String(value)}.`);
  }
  return upper;
}

function name(body: Record<string, unknown>, required: boolean): string | undefined {
  const value = required
    ? requireString(body, 'Name', NAME_LIMITS)
    : optionalString(body, 'Name', NAME_LIMITS);
  if (value !== undefined && value.trim() === '') {
    throw invalidParameter('Name must contain a character other than white space.');
  }
  return value;
}

function checkContent(
  ctx: RequestContext,
  instance: InstanceRecord,
  content: string,
  settings: string | undefined,
  publish: boolean,
): void {
  const problems = publish
    ? validateContent(content, instance, ctx.emulator.options, 'module')
    : parseContentObject(content)
      ? []
      : [NOT_A_JSON_OBJECT];
  if (settings !== undefined && !parseContentObject(settings)) problems.push(INVALID_SETTINGS);
  if (problems.length > 0) throw invalidContactFlowModule(problems);
}

/** Real responses spell module State and Status in lower case, unlike flows. */
function caseOf(ctx: RequestContext, value: string): string {
  return ctx.emulator.options.lowerCaseModuleStatus ? value.toLowerCase() : value;
}

function moduleShape(
  ctx: RequestContext,
  instance: InstanceRecord,
  module: ModuleRecord,
  draft = false,
) {
  const useDraft = draft && module.Draft !== undefined;
  const content = useDraft ? module.Draft! : module.Content;
  return {
    Arn: resourceArn(instance, 'module', module.Id),
    Id: module.Id,
    Name: module.Name,
    Content: content,
    Description: module.Description,
    State: caseOf(ctx, module.State),
    Status: caseOf(ctx, useDraft ? 'SAVED' : module.Status),
    Tags: tagsOut(module.Tags),
    FlowModuleContentSha256: sha256(content),
    Settings: useDraft ? (module.DraftSettings ?? module.Settings) : module.Settings,
    ExternalInvocationConfiguration: module.ExternalInvocationConfiguration,
  };
}

/**
 * Tokens the SDK fills in for CreateContactFlowModule, per instance. Kept in memory only: Connect
 * honours a token for a limited time, and a restarted emulator is a fresh window.
 */
const clientTokens = new WeakMap<InstanceRecord, Map<string, { request: string; id: string }>>();

/** The request without its token, with keys sorted, to tell a retry from a different request. */
function fingerprint(body: Record<string, unknown>): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
      );
    }
    return value;
  };
  const rest = { ...body };
  delete rest.ClientToken;
  return JSON.stringify(sorted(rest));
}

const searchable: SearchableType<ModuleRecord> = {
  fields: {
    name: (m) => m.Name,
    description: (m) => m.Description,
    resourceID: (m) => m.Id,
  },
  leaves: {
    StateCondition: (m, value) => String(value).toUpperCase() === m.State,
    // As for flows: a module with a newer unpublished draft also counts as SAVED.
    StatusCondition: (m, value) =>
      String(value).toUpperCase() === 'SAVED'
        ? m.Status === 'SAVED' || m.Draft !== undefined
        : String(value).toUpperCase() === m.Status,
  },
};

function plainModule(ctx: RequestContext): { instance: InstanceRecord; module: ModuleRecord } {
  const instance = ctx.instance();
  const { id, qualifier } = splitQualifier(ctx.params.ContactFlowModuleId);
  if (qualifier !== undefined) {
    throw invalidParameter(
      `ContactFlowModuleId ${ctx.params.ContactFlowModuleId} must be a plain module id.`,
    );
  }
  return { instance, module: findModule(instance, id) };
}

export const moduleRoutes: Route[] = [
  {
    method: 'PUT',
    path: '/contact-flow-modules/{InstanceId}',
    operation: 'CreateContactFlowModule',
    handler: (ctx) => {
      const instance = ctx.instance();
      const token = optionalString(ctx.body, 'ClientToken', { max: 500 });
      const tokens = clientTokens.get(instance) ?? new Map();
      clientTokens.set(instance, tokens);
      const request = fingerprint(ctx.body);
      const earlier = token === undefined ? undefined : tokens.get(token);
      if (earlier) {
        if (earlier.request !== request) {
          throw new ApiError(
            'IdempotencyException',
            409,
            `ClientToken ${token} was already used with different parameters.`,
          );
        }
        return { Id: earlier.id, Arn: resourceArn(instance, 'module', earlier.id) };
      }

      const moduleName = name(ctx.body, true)!;
      const description = optionalString(ctx.body, 'Description', DESCRIPTION_LIMITS);
      const content = requireContent(ctx.body);
      const settings = optionalString(ctx.body, 'Settings');
      const external = ctx.body.ExternalInvocationConfiguration as
        { Enabled?: unknown } | undefined;
      if (external !== undefined && typeof external?.Enabled !== 'boolean') {
        throw invalidParameter('ExternalInvocationConfiguration.Enabled must be a boolean.');
      }
      const tags = validateTags(ctx.body.Tags);

      assertUniqueName(ctx, Object.values(instance.modules), moduleName, 'Flow module');
      const quota = ctx.emulator.options.quotas.modules;
      if (Object.keys(instance.modules).length >= quota) {
        throw limitExceeded(`The instance already has the maximum of ${quota} flow modules.`);
      }
      checkContent(ctx, instance, content, settings, true);

      const id = newId();
      instance.modules[id] = {
        Id: id,
        Name: moduleName,
        Description: description,
        State: 'ACTIVE',
        Status: 'PUBLISHED',
        Content: content,
        Settings: settings,
        ExternalInvocationConfiguration:
          external === undefined ? undefined : { Enabled: external.Enabled as boolean },
        Tags: tags,
        LastModifiedTime: nowSeconds(),
      };
      if (token !== undefined) tokens.set(token, { request, id });
      return { Id: id, Arn: resourceArn(instance, 'module', id) };
    },
  },
  {
    method: 'GET',
    path: '/contact-flow-modules/{InstanceId}/{ContactFlowModuleId}',
    operation: 'DescribeContactFlowModule',
    handler: (ctx) => {
      const instance = ctx.instance();
      const { id, qualifier } = splitQualifier(ctx.params.ContactFlowModuleId);
      const module = findModule(instance, id);
      if (qualifier !== undefined && qualifier !== '$SAVED') {
        throw notFound(`Flow module version not found: ${id}:${qualifier}`);
      }
      return { ContactFlowModule: moduleShape(ctx, instance, module, qualifier === '$SAVED') };
    },
  },
  {
    method: 'GET',
    path: '/contact-flow-modules-summary/{InstanceId}',
    operation: 'ListContactFlowModules',
    handler: (ctx) => {
      const instance = ctx.instance();
      const wanted = ctx.query.get('state');
      const filter = wanted === null || wanted === '' ? undefined : state('state', wanted);
      const modules = byId(instance.modules).filter((m) => !filter || m.State === filter);
      const { page, nextToken } = paginate(ctx, modules, LIST_LIMITS, queryPage(ctx));
      return {
        ContactFlowModulesSummaryList: page.map((m) => ({
          Id: m.Id,
          Arn: resourceArn(instance, 'module', m.Id),
          Name: m.Name,
          State: caseOf(ctx, m.State),
        })),
        NextToken: nextToken,
      };
    },
  },
  {
    method: 'POST',
    path: '/search-contact-flow-modules',
    operation: 'SearchContactFlowModules',
    handler: (ctx) => {
      const instance = ctx.instance();
      const criteria = ctx.body.SearchCriteria as Parameters<typeof matchesCriteria>[1];
      const tagFilter = tagFilterOf(ctx.body.SearchFilter);
      const matches = byId(instance.modules).filter(
        (m) => matchesCriteria(m, criteria, searchable) && matchesTagFilter(m.Tags, tagFilter),
      );
      const { page, nextToken } = paginate(ctx, matches, SEARCH_LIMITS, bodyPage(ctx));
      return {
        ContactFlowModules: page.map((m) => {
          const shape = moduleShape(ctx, instance, m, asksForSaved(criteria));
          return ctx.emulator.options.searchReturnsContent
            ? shape
            : { ...shape, Content: undefined };
        }),
        NextToken: nextToken,
        ApproximateTotalCount: matches.length,
      };
    },
  },
  {
    method: 'POST',
    path: '/contact-flow-modules/{InstanceId}/{ContactFlowModuleId}/content',
    operation: 'UpdateContactFlowModuleContent',
    handler: (ctx) => {
      const instance = ctx.instance();
      const { id, qualifier } = splitQualifier(ctx.params.ContactFlowModuleId);
      const module = findModule(instance, id);
      if (qualifier !== undefined && qualifier !== '$SAVED') {
        throw invalidParameter(`Flow module version ${id}:${qualifier} cannot be changed.`);
      }
      const given = ctx.body.Content === undefined ? undefined : requireContent(ctx.body);
      const settings = optionalString(ctx.body, 'Settings');
      if (given === undefined && settings === undefined) {
        throw invalidParameter('Content or Settings is required.');
      }
      const draft = qualifier === '$SAVED';
      const base = draft && module.Draft !== undefined ? module.Draft : module.Content;
      const content = given ?? base;
      checkContent(ctx, instance, content, settings, !draft);

      if (draft && module.Status === 'PUBLISHED') {
        module.Draft = content;
        if (settings !== undefined) module.DraftSettings = settings;
      } else {
        // Publishing takes the new content and settings, falling back to a pending draft's.
        module.Content = content;
        module.Settings = settings ?? module.DraftSettings ?? module.Settings;
        module.Draft = undefined;
        module.DraftSettings = undefined;
        if (!draft) module.Status = 'PUBLISHED';
      }
      module.LastModifiedTime = nowSeconds();
      return {};
    },
  },
  {
    method: 'POST',
    path: '/contact-flow-modules/{InstanceId}/{ContactFlowModuleId}/metadata',
    operation: 'UpdateContactFlowModuleMetadata',
    handler: (ctx) => {
      const { instance, module } = plainModule(ctx);
      const newName = name(ctx.body, false);
      const description = optionalString(ctx.body, 'Description', DESCRIPTION_LIMITS);
      const newState = ctx.body.State === undefined ? undefined : state('State', ctx.body.State);
      if (newName !== undefined) {
        assertUniqueName(ctx, Object.values(instance.modules), newName, 'Flow module', module.Id);
        module.Name = newName;
      }
      if (description !== undefined) module.Description = description;
      if (newState !== undefined) module.State = newState;
      module.LastModifiedTime = nowSeconds();
      return {};
    },
  },
  {
    method: 'DELETE',
    path: '/contact-flow-modules/{InstanceId}/{ContactFlowModuleId}',
    operation: 'DeleteContactFlowModule',
    handler: (ctx) => {
      const { instance, module } = plainModule(ctx);
      delete instance.modules[module.Id];
      return {};
    },
  },
];
