/**
 * Contact flows: create, describe (published, `:$SAVED` draft, `:<version>`), list, search,
 * content/name/metadata updates, delete, and numbered versions.
 * https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateContactFlow.html
 */
import { createHash } from 'node:crypto';
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
  invalidContactFlow,
  invalidParameter,
  invalidRequest,
  limitExceeded,
  notFound,
} from '../errors';
import { FlowRecord, FlowVersionRecord, InstanceRecord, nowSeconds, resourceArn } from '../model';
import type { RequestContext, Route } from '../router';
import { matchesCriteria, matchesTagFilter, SearchableType, TagFilter, TagPair } from '../search';
import { NOT_A_JSON_OBJECT, parseContentObject, validateContent } from '../validate';

export const FLOW_TYPES = [
  'CONTACT_FLOW',
  'CUSTOMER_QUEUE',
  'CUSTOMER_HOLD',
  'CUSTOMER_WHISPER',
  'AGENT_HOLD',
  'AGENT_WHISPER',
  'OUTBOUND_WHISPER',
  'AGENT_TRANSFER',
  'QUEUE_TRANSFER',
  'CAMPAIGN',
];
const STATES = ['ACTIVE', 'ARCHIVED'];
const STATUSES = ['PUBLISHED', 'SAVED'];
/** The model's limit on `Content`. */
const MAX_CONTENT = 256000;
const LIST_LIMITS = { max: 1000, defaultPage: 100 };
const SEARCH_LIMITS = { max: 100, defaultPage: 100 };

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * `ContactFlowId` labels may carry a qualifier (`id:$SAVED`, `id:3`); the router has already
 * decoded them. An ARN is tolerated too, though Connect's paths take ids.
 */
export function splitQualifier(label: string): { id: string; qualifier?: string } {
  const tail = label.startsWith('arn:') ? label.slice(label.lastIndexOf('/') + 1) : label;
  const colon = tail.indexOf(':');
  return colon < 0 ? { id: tail } : { id: tail.slice(0, colon), qualifier: tail.slice(colon + 1) };
}

export function requireContent(body: Record<string, unknown>, member = 'Content'): string {
  const content = requireString(body, member, { min: 1 });
  if (content.length > MAX_CONTENT) {
    throw invalidParameter(`${member} must be at most ${MAX_CONTENT} characters long.`);
  }
  return content;
}

function findFlow(instance: InstanceRecord, id: string): FlowRecord {
  const flow = instance.flows[id];
  if (!flow) throw notFound(`Flow not found: ${id}`);
  return flow;
}

function oneOf(member: string, value: unknown, allowed: string[]): string {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw invalidParameter(`${member} must be one of ${allowed.join(', ')}; got ${String(value)}.`);
  }
  return value;
}

/** Publishing checks the content against this instance; SAVED content need only be an object. */
function checkContent(
  ctx: RequestContext,
  instance: InstanceRecord,
  content: string,
  publish: boolean,
) {
  const problems = publish
    ? validateContent(content, instance, ctx.emulator.options)
    : parseContentObject(content)
      ? []
      : [NOT_A_JSON_OBJECT];
  if (problems.length > 0) throw invalidContactFlow(problems);
}

interface FlowView {
  content: string;
  status: FlowRecord['Status'];
  version?: FlowVersionRecord;
}

function flowShape(instance: InstanceRecord, flow: FlowRecord, view: FlowView) {
  return {
    Arn: resourceArn(instance, 'flow', flow.Id) + (view.version ? `:${view.version.Version}` : ''),
    Id: flow.Id,
    Name: flow.Name,
    Type: flow.Type,
    State: flow.State,
    Status: view.status,
    Description: flow.Description,
    Content: view.content,
    Tags: tagsOut(flow.Tags),
    FlowContentSha256: sha256(view.content),
    Version: view.version?.Version,
    VersionDescription: view.version?.Description,
    LastModifiedTime: view.version?.CreatedTime ?? flow.LastModifiedTime,
    LastModifiedRegion: instance.Region,
  };
}

function describe(ctx: RequestContext) {
  const instance = ctx.instance();
  const { id, qualifier } = splitQualifier(ctx.params.ContactFlowId);
  const flow = findFlow(instance, id);
  if (qualifier === '$SAVED') {
    const view =
      flow.Draft !== undefined
        ? { content: flow.Draft, status: 'SAVED' as const }
        : { content: flow.Content, status: flow.Status };
    return { ContactFlow: flowShape(instance, flow, view) };
  }
  if (qualifier !== undefined) {
    const version = (flow.Versions ?? []).find((v) => String(v.Version) === qualifier);
    if (!version) throw notFound(`Flow version not found: ${id}:${qualifier}`);
    return {
      ContactFlow: flowShape(instance, flow, {
        content: version.Content,
        status: 'PUBLISHED',
        version,
      }),
    };
  }
  if (flow.Status === 'SAVED' && ctx.emulator.options.notPublishedError) {
    throw new ApiError(
      'ContactFlowNotPublishedException',
      404,
      `Flow ${id} has never been published; describe ${id}:$SAVED to read its content.`,
    );
  }
  return { ContactFlow: flowShape(instance, flow, { content: flow.Content, status: flow.Status }) };
}

function rename(ctx: RequestContext, instance: InstanceRecord, flow: FlowRecord): void {
  const name = optionalString(ctx.body, 'Name', { min: 1 });
  const description = optionalString(ctx.body, 'Description');
  if (name !== undefined) {
    assertUniqueName(ctx, Object.values(instance.flows), name, 'Flow', flow.Id);
    flow.Name = name;
  }
  if (description !== undefined) flow.Description = description;
}

/** Updates address the flow itself; a version is immutable and a draft only takes content. */
function plainFlow(ctx: RequestContext): { instance: InstanceRecord; flow: FlowRecord } {
  const instance = ctx.instance();
  const { id, qualifier } = splitQualifier(ctx.params.ContactFlowId);
  if (qualifier !== undefined) {
    throw invalidParameter(`ContactFlowId ${ctx.params.ContactFlowId} must be a plain flow id.`);
  }
  return { instance, flow: findFlow(instance, id) };
}

const searchable: SearchableType<FlowRecord> = {
  fields: {
    name: (f) => f.Name,
    description: (f) => f.Description,
    resourceID: (f) => f.Id,
  },
  leaves: {
    TypeCondition: (f, value) => f.Type === value,
    StateCondition: (f, value) => f.State === value,
    // A flow with a newer unpublished draft also counts as SAVED, so one search finds every
    // draft (an emulator convention: the API reference does not say how Connect answers this).
    StatusCondition: (f, value) =>
      value === 'SAVED' ? f.Status === 'SAVED' || f.Draft !== undefined : f.Status === value,
  },
};

/** Whether criteria ask for SAVED flows anywhere; those results then show the draft. */
export function asksForSaved(criteria: unknown): boolean {
  if (!criteria || typeof criteria !== 'object') return false;
  const node = criteria as Record<string, unknown>;
  if (typeof node.StatusCondition === 'string' && node.StatusCondition.toUpperCase() === 'SAVED') {
    return true;
  }
  const lists = [node.OrConditions, node.AndConditions].filter(Array.isArray) as unknown[][];
  return lists.some((list) => list.some(asksForSaved));
}

interface FlowAttributeCondition {
  TagConditions?: TagPair[];
  ContactFlowTypeCondition?: { ContactFlowType?: string };
}

interface FlowAttributeFilter {
  OrConditions?: FlowAttributeCondition[];
  AndCondition?: FlowAttributeCondition;
  TagCondition?: TagPair;
  ContactFlowTypeCondition?: { ContactFlowType?: string };
}

/** SearchContactFlows' filter: tags and flow types, combined as documented for `SearchFilter`. */
function matchesFlowFilter(flow: FlowRecord, filter: unknown): boolean {
  if (!filter || typeof filter !== 'object') return true;
  const { TagFilter: tagFilter, FlowAttributeFilter: attributes } = filter as {
    TagFilter?: TagFilter;
    FlowAttributeFilter?: FlowAttributeFilter;
  };
  if (!matchesTagFilter(flow.Tags, tagFilter)) return false;
  if (!attributes) return true;
  const condition = (c: FlowAttributeCondition) =>
    matchesTagFilter(flow.Tags, { AndConditions: c.TagConditions ?? [] }) &&
    (c.ContactFlowTypeCondition?.ContactFlowType === undefined ||
      c.ContactFlowTypeCondition.ContactFlowType === flow.Type);
  if (
    attributes.TagCondition &&
    !matchesTagFilter(flow.Tags, { TagCondition: attributes.TagCondition })
  ) {
    return false;
  }
  if (
    attributes.ContactFlowTypeCondition?.ContactFlowType !== undefined &&
    attributes.ContactFlowTypeCondition.ContactFlowType !== flow.Type
  ) {
    return false;
  }
  if (attributes.AndCondition && !condition(attributes.AndCondition)) return false;
  if (attributes.OrConditions && attributes.OrConditions.length > 0) {
    if (!attributes.OrConditions.some(condition)) return false;
  }
  return true;
}

export const flowRoutes: Route[] = [
  {
    method: 'PUT',
    path: '/contact-flows/{InstanceId}',
    operation: 'CreateContactFlow',
    handler: (ctx) => {
      const instance = ctx.instance();
      const name = requireString(ctx.body, 'Name', { min: 1 });
      const type = oneOf('Type', ctx.body.Type, FLOW_TYPES);
      const description = optionalString(ctx.body, 'Description');
      const content = requireContent(ctx.body);
      const status =
        ctx.body.Status === undefined ? 'PUBLISHED' : oneOf('Status', ctx.body.Status, STATUSES);
      const tags = validateTags(ctx.body.Tags);

      assertUniqueName(ctx, Object.values(instance.flows), name, 'Flow');
      const quota = ctx.emulator.options.quotas.flows;
      if (Object.keys(instance.flows).length >= quota) {
        throw limitExceeded(`The instance already has the maximum of ${quota} flows.`);
      }
      checkContent(ctx, instance, content, status === 'PUBLISHED');

      const id = newId();
      instance.flows[id] = {
        Id: id,
        Name: name,
        Type: type,
        Description: description,
        State: 'ACTIVE',
        Status: status as FlowRecord['Status'],
        Content: content,
        Tags: tags,
        LastModifiedTime: nowSeconds(),
      };
      return {
        ContactFlowId: id,
        ContactFlowArn: resourceArn(instance, 'flow', id),
        FlowContentSha256: sha256(content),
      };
    },
  },
  {
    method: 'GET',
    path: '/contact-flows/{InstanceId}/{ContactFlowId}',
    operation: 'DescribeContactFlow',
    handler: describe,
  },
  {
    method: 'GET',
    path: '/contact-flows-summary/{InstanceId}',
    operation: 'ListContactFlows',
    handler: (ctx) => {
      const instance = ctx.instance();
      const types = ctx.query.getAll('contactFlowTypes');
      if (types.length > 10) throw invalidParameter('contactFlowTypes takes at most 10 values.');
      for (const type of types) oneOf('contactFlowTypes', type, FLOW_TYPES);
      const flows = byId(instance.flows).filter(
        (f) => types.length === 0 || types.includes(f.Type),
      );
      const { page, nextToken } = paginate(ctx, flows, LIST_LIMITS, queryPage(ctx));
      return {
        ContactFlowSummaryList: page.map((f) => ({
          Id: f.Id,
          Arn: resourceArn(instance, 'flow', f.Id),
          Name: f.Name,
          ContactFlowType: f.Type,
          ContactFlowState: f.State,
          ContactFlowStatus: f.Status,
        })),
        NextToken: nextToken,
      };
    },
  },
  {
    method: 'POST',
    path: '/search-contact-flows',
    operation: 'SearchContactFlows',
    handler: (ctx) => {
      const instance = ctx.instance();
      const criteria = ctx.body.SearchCriteria as Parameters<typeof matchesCriteria>[1];
      const matches = byId(instance.flows).filter(
        (f) =>
          matchesCriteria(f, criteria, searchable) && matchesFlowFilter(f, ctx.body.SearchFilter),
      );
      const { page, nextToken } = paginate(ctx, matches, SEARCH_LIMITS, bodyPage(ctx));
      const drafts = asksForSaved(criteria);
      const withContent = ctx.emulator.options.searchReturnsContent;
      return {
        ContactFlows: page.map((f) => {
          const shape = flowShape(
            instance,
            f,
            drafts && f.Draft !== undefined
              ? { content: f.Draft, status: 'SAVED' }
              : { content: f.Content, status: f.Status },
          );
          return withContent ? shape : { ...shape, Content: undefined };
        }),
        NextToken: nextToken,
        ApproximateTotalCount: matches.length,
      };
    },
  },
  {
    method: 'POST',
    path: '/contact-flows/{InstanceId}/{ContactFlowId}/content',
    operation: 'UpdateContactFlowContent',
    handler: (ctx) => {
      const instance = ctx.instance();
      const { id, qualifier } = splitQualifier(ctx.params.ContactFlowId);
      const flow = findFlow(instance, id);
      const content = requireContent(ctx.body);
      if (qualifier !== undefined && qualifier !== '$SAVED') {
        throw invalidParameter(`Flow version ${id}:${qualifier} cannot be changed.`);
      }
      const draft = qualifier === '$SAVED';
      checkContent(ctx, instance, content, !draft);

      if (draft && flow.Status === 'PUBLISHED') {
        flow.Draft = content;
      } else {
        // Publishing replaces any draft; a never-published flow has only the one content.
        flow.Content = content;
        flow.Draft = undefined;
        if (!draft) flow.Status = 'PUBLISHED';
      }
      flow.LastModifiedTime = nowSeconds();
      return {};
    },
  },
  {
    method: 'POST',
    path: '/contact-flows/{InstanceId}/{ContactFlowId}/name',
    operation: 'UpdateContactFlowName',
    handler: (ctx) => {
      const { instance, flow } = plainFlow(ctx);
      rename(ctx, instance, flow);
      flow.LastModifiedTime = nowSeconds();
      return {};
    },
  },
  {
    method: 'POST',
    path: '/contact-flows/{InstanceId}/{ContactFlowId}/metadata',
    operation: 'UpdateContactFlowMetadata',
    handler: (ctx) => {
      const { instance, flow } = plainFlow(ctx);
      const state =
        ctx.body.ContactFlowState === undefined
          ? undefined
          : oneOf('ContactFlowState', ctx.body.ContactFlowState, STATES);
      rename(ctx, instance, flow);
      if (state !== undefined) flow.State = state as FlowRecord['State'];
      flow.LastModifiedTime = nowSeconds();
      return {};
    },
  },
  {
    method: 'DELETE',
    path: '/contact-flows/{InstanceId}/{ContactFlowId}',
    operation: 'DeleteContactFlow',
    handler: (ctx) => {
      const { instance, flow } = plainFlow(ctx);
      delete instance.flows[flow.Id];
      return {};
    },
  },
  {
    method: 'PUT',
    path: '/contact-flows/{InstanceId}/{ContactFlowId}/version',
    operation: 'CreateContactFlowVersion',
    handler: (ctx) => {
      const { instance, flow } = plainFlow(ctx);
      if (flow.Status !== 'PUBLISHED') {
        throw invalidRequest(`Flow ${flow.Id} has no published content to version.`);
      }
      const expected = optionalString(ctx.body, 'FlowContentSha256');
      if (expected !== undefined && expected !== sha256(flow.Content)) {
        throw invalidRequest('FlowContentSha256 does not match the published content.');
      }
      const versions = (flow.Versions ??= []);
      const version: FlowVersionRecord = {
        Version: versions.length === 0 ? 1 : versions[versions.length - 1].Version + 1,
        Description: optionalString(ctx.body, 'Description'),
        Content: flow.Content,
        CreatedTime: nowSeconds(),
      };
      versions.push(version);
      return {
        ContactFlowArn: `${resourceArn(instance, 'flow', flow.Id)}:${version.Version}`,
        Version: version.Version,
      };
    },
  },
  {
    method: 'GET',
    path: '/contact-flows/{InstanceId}/{ContactFlowId}/versions',
    operation: 'ListContactFlowVersions',
    handler: (ctx) => {
      const { instance, flow } = plainFlow(ctx);
      const { page, nextToken } = paginate(ctx, flow.Versions ?? [], LIST_LIMITS, queryPage(ctx));
      return {
        ContactFlowVersionSummaryList: page.map((v) => ({
          Arn: `${resourceArn(instance, 'flow', flow.Id)}:${v.Version}`,
          Version: v.Version,
          VersionDescription: v.Description,
        })),
        NextToken: nextToken,
      };
    },
  },
  {
    method: 'DELETE',
    path: '/contact-flows/{InstanceId}/{ContactFlowId}/version/{ContactFlowVersion}',
    operation: 'DeleteContactFlowVersion',
    handler: (ctx) => {
      const { flow } = plainFlow(ctx);
      const versions = flow.Versions ?? [];
      const index = versions.findIndex((v) => String(v.Version) === ctx.params.ContactFlowVersion);
      if (index < 0) {
        throw notFound(`Flow version not found: ${flow.Id}:${ctx.params.ContactFlowVersion}`);
      }
      versions.splice(index, 1);
      return {};
    },
  },
];
