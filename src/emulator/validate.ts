/**
 * What Connect checks when flow or module content is published: the Flow Language structure and
 * that every static reference names a resource of the right kind in the same instance. Problems
 * are all collected, since the API returns up to 50 of them at once, in Connect's wording
 * ("Invalid Action property value. Path: 3.Parameters.QueueId").
 * https://docs.aws.amazon.com/connect/latest/APIReference/flow-language.html
 *
 * Unknown action types and parameters are accepted: real exports use far more types than the
 * emulator knows, and rejecting them would make it stricter than the service.
 */
import type { InstanceRecord } from './model';
import { FLOW_LANGUAGE_VERSION, MAX_ACTIONS, isValidIdentifier } from '../core/flow-language';
import { findFlowReferences, FlowReference, ParsedArn } from './flow-references';

export { FLOW_LANGUAGE_VERSION, MAX_ACTIONS };

export interface ValidationOptions {
  /** Also require Lambda functions and Lex bots to be associated with the instance. */
  validateIntegrations: boolean;
}

export type ContentKind = 'flow' | 'module';

/** The content as an object, or undefined when it is not one (checked even for drafts). */
export function parseContentObject(content: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(content);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export const NOT_A_JSON_OBJECT = 'Invalid flow content. The content must be a JSON object.';

/** Problems with the content if it were published in this instance; empty when it is valid. */
export function validateContent(
  content: string,
  instance: InstanceRecord,
  options: ValidationOptions,
  kind: ContentKind = 'flow',
): string[] {
  const parsed = parseContentObject(content);
  if (!parsed) return [NOT_A_JSON_OBJECT];
  const problems = structuralProblems(parsed, kind);
  for (const reference of findFlowReferences(parsed)) {
    if (!resolves(reference, instance, options)) {
      problems.push(`Invalid Action property value. Path: ${reference.path}`);
    }
  }
  return problems;
}

function structuralProblems(content: Record<string, unknown>, kind: ContentKind): string[] {
  const problems: string[] = [];
  if (content.Version !== FLOW_LANGUAGE_VERSION) {
    problems.push(`Invalid Version. Only ${FLOW_LANGUAGE_VERSION} is supported.`);
  }
  if (content.Metadata !== undefined && !isObject(content.Metadata)) {
    problems.push('Invalid property value. Path: Metadata');
  }
  if (kind === 'module' && content.Settings !== undefined && !isObject(content.Settings)) {
    problems.push('Invalid property value. Path: Settings');
  }
  if (!Array.isArray(content.Actions)) {
    problems.push('Missing required property. Path: Actions');
    return problems;
  }
  const actions = content.Actions as unknown[];
  if (actions.length > MAX_ACTIONS) {
    problems.push(`Too many actions. A flow can have at most ${MAX_ACTIONS} actions.`);
  }

  const identifiers = new Set<string>();
  actions.forEach((action, index) => {
    if (!isObject(action)) {
      problems.push(`Invalid Action. Path: ${index}`);
      return;
    }
    const id = action.Identifier;
    if (typeof id !== 'string' || id === '') {
      problems.push(`Action is missing required property. Path: ${index}.Identifier`);
    } else if (!isValidIdentifier(id)) {
      problems.push(`Invalid Action identifier. Path: ${index}.Identifier`);
    } else if (identifiers.has(id)) {
      problems.push(`Duplicate Action identifier. Path: ${index}.Identifier`);
    } else {
      identifiers.add(id);
    }
    if (typeof action.Type !== 'string' || action.Type === '') {
      problems.push(`Action is missing required property. Path: ${index}.Type`);
    }
    if (action.Parameters !== undefined && !isObject(action.Parameters)) {
      problems.push(`Invalid Action property value. Path: ${index}.Parameters`);
    }
    if (action.Transitions !== undefined && !isObject(action.Transitions)) {
      problems.push(`Invalid Action property value. Path: ${index}.Transitions`);
    }
  });

  if (typeof content.StartAction !== 'string' || !identifiers.has(content.StartAction)) {
    problems.push('Invalid StartAction. StartAction must name an action of the flow.');
  }
  actions.forEach((action, index) => {
    if (!isObject(action) || !isObject(action.Transitions)) return;
    for (const [path, target] of nextActions(action.Transitions)) {
      // An empty target is a branch left unconnected in the designer, which real exports have.
      if (target === '') continue;
      if (typeof target !== 'string' || !identifiers.has(target)) {
        problems.push(`Invalid transition. Path: ${index}.Transitions.${path}`);
      }
    }
  });
  return problems;
}

/** Every `NextAction` of an action, with its path under Transitions. */
function nextActions(transitions: Record<string, unknown>): [string, unknown][] {
  const targets: [string, unknown][] = [];
  if ('NextAction' in transitions) targets.push(['NextAction', transitions.NextAction]);
  for (const list of ['Errors', 'Conditions'] as const) {
    const entries = transitions[list];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry: unknown, i: number) => {
      if (isObject(entry) && 'NextAction' in entry) {
        targets.push([`${list}.${i}.NextAction`, entry.NextAction]);
      }
    });
  }
  return targets;
}

/** ARN resource-type segments each reference kind accepts (a queue may be an agent's queue). */
const ARN_TYPES: Partial<Record<FlowReference['kind'], string[]>> = {
  queue: ['queue', 'queue/agent'],
  agent: ['agent', 'queue/agent'],
  flow: ['contact-flow'],
  module: ['flow-module'],
  prompt: ['prompt'],
  hours: ['operating-hours'],
  quickConnect: ['transfer-destination'],
};

export function resolves(
  reference: FlowReference,
  instance: InstanceRecord,
  options: ValidationOptions,
): boolean {
  switch (reference.kind) {
    case 'lambda':
      return !options.validateIntegrations || lambdaAssociated(reference.value, instance);
    case 'lexV2Alias':
      return !options.validateIntegrations || instance.lexV2Bots.includes(reference.value);
    case 'lexV1':
      return (
        !options.validateIntegrations ||
        instance.lexBots.some(
          (bot) =>
            bot.Name === reference.lexV1?.name &&
            (reference.lexV1.region === undefined || bot.LexRegion === reference.lexV1.region),
        )
      );
    case 'view':
      // The emulator has no view resources to check customer views against; AWS-managed ones
      // (`arn:aws:connect:<region>:aws:view/cards:1`) exist everywhere.
      return true;
    default:
      return connectResourceResolves(reference, instance);
  }
}

function connectResourceResolves(reference: FlowReference, instance: InstanceRecord): boolean {
  const arn = reference.arn;
  let type: string | undefined;
  if (reference.form === 'arn') {
    if (!arn) return false;
    if (isAwsOwned(arn)) return true;
    if (
      arn.partition !== 'aws' ||
      arn.service !== 'connect' ||
      arn.region !== instance.Region ||
      arn.account !== instance.Account ||
      arn.instanceId !== instance.Id
    ) {
      return false;
    }
    type = arn.resourceType;
    if (!type || !ARN_TYPES[reference.kind]?.includes(type)) return false;
  }
  return lookup(instance, reference.kind, reference.id, type);
}

/** Whether the instance holds a resource of the kind with this id (ARN type narrows queues). */
function lookup(
  instance: InstanceRecord,
  kind: FlowReference['kind'],
  id: string,
  arnType?: string,
): boolean {
  if (id === '') return false;
  switch (kind) {
    case 'queue':
      if (arnType === 'queue/agent') return isAgent(instance, id);
      return instance.queues[id] !== undefined || (arnType === undefined && isAgent(instance, id));
    case 'agent':
      return isAgent(instance, id);
    case 'flow':
      return instance.flows[id] !== undefined;
    case 'module':
      return instance.modules[id] !== undefined;
    case 'prompt':
      return instance.prompts[id] !== undefined;
    case 'hours':
      return instance.hours[id] !== undefined;
    case 'quickConnect':
      return instance.quickConnects[id] !== undefined;
    default:
      return false;
  }
}

/** Agents are users; their queues carry the user's id. */
function isAgent(instance: InstanceRecord, id: string): boolean {
  return instance.users[id] !== undefined || instance.queues[id]?.QueueType === 'AGENT';
}

function isAwsOwned(arn: ParsedArn): boolean {
  return arn.account === 'aws';
}

/** Association is by exact ARN; an alias-qualified ARN also passes when the bare function is in. */
function lambdaAssociated(value: string, instance: InstanceRecord): boolean {
  if (instance.lambdaFunctions.includes(value)) return true;
  const parts = value.split(':');
  return parts.length > 7 && instance.lambdaFunctions.includes(parts.slice(0, 7).join(':'));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
