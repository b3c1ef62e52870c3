/**
 * Static Connect references in Flow Language (2019-10-30) content: which action parameters name a
 * queue, agent, flow, module, prompt, hours, quick connect, Lambda function, Lex bot or view, and
 * where. Pure: no state, no I/O, so the publish validator and the seed importer share it.
 *
 * Only `Actions[].Parameters` are read. Metadata repeats references for the designer, but Connect
 * ignores it at run time and does not check it on publish.
 */

export type FlowReferenceKind =
  | 'queue'
  | 'agent'
  | 'flow'
  | 'module'
  | 'prompt'
  | 'hours'
  | 'quickConnect'
  | 'lambda'
  | 'lexV2Alias'
  | 'lexV1'
  | 'view';

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the account: `instance/<iid>/queue/<id>`, `function:name:alias`, ... */
  resource: string;
  /** Connect instance-scoped ARNs only. */
  instanceId?: string;
  /** The segment(s) between the instance and the id: `queue`, `queue/agent`, `contact-flow`. */
  resourceType?: string;
  /** The resource id (Connect), function name (Lambda), or `botId/aliasId` (Lex V2). */
  resourceId?: string;
  /** A trailing `:qualifier` (`$SAVED`, a version, a Lambda alias). */
  qualifier?: string;
}

export interface FlowReference {
  /** Where Connect reports it: `<action index>.Parameters.<Field>`, e.g. `3.Parameters.QueueId`. */
  path: string;
  actionIndex: number;
  actionIdentifier: string;
  actionType: string;
  kind: FlowReferenceKind;
  /** The value exactly as written in the content. */
  value: string;
  form: 'arn' | 'id';
  arn?: ParsedArn;
  /** The bare id (or function name, or Lex V1 bot name) without any `:qualifier`. */
  id: string;
  qualifier?: string;
  /** Lex V1 bots are named, not identified: `{Name, Region, Alias}` in the action. */
  lexV1?: { name: string; region?: string; alias?: string };
}

/** `$.Attributes.x`, or an ARN with `$.AwsRegion` inside: resolved per contact, never static. */
export function isDynamicValue(value: string): boolean {
  return value.includes('$.');
}

const CONNECT_TYPE = /^(queue\/agent|[a-z-]+)\/(.+)$/;

export function parseArn(value: string): ParsedArn | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  const arn: ParsedArn = { partition, service, region, account, resource };

  if (service === 'connect' && resource.startsWith('instance/')) {
    const rest = resource.slice('instance/'.length);
    const slash = rest.indexOf('/');
    if (slash < 0) return { ...arn, instanceId: rest };
    arn.instanceId = rest.slice(0, slash);
    const typed = CONNECT_TYPE.exec(rest.slice(slash + 1));
    if (typed) {
      arn.resourceType = typed[1];
      const [id, ...qualifier] = typed[2].split(':');
      arn.resourceId = id;
      if (qualifier.length > 0) arn.qualifier = qualifier.join(':');
    }
  } else if (service === 'lambda' && parts[5] === 'function') {
    arn.resourceType = 'function';
    arn.resourceId = parts[6];
    if (parts.length > 7) arn.qualifier = parts.slice(7).join(':');
  } else if (service === 'lex' && resource.startsWith('bot-alias/')) {
    arn.resourceType = 'bot-alias';
    arn.resourceId = resource.slice('bot-alias/'.length);
  } else {
    const slash = resource.indexOf('/');
    if (slash > 0) {
      arn.resourceType = resource.slice(0, slash);
      const [id, ...qualifier] = resource.slice(slash + 1).split(':');
      arn.resourceId = id;
      if (qualifier.length > 0) arn.qualifier = qualifier.join(':');
    }
  }
  return arn;
}

/** Top-level parameter names that hold a reference, whatever the action type. */
const PARAMETER_KINDS: Record<string, FlowReferenceKind> = {
  QueueId: 'queue',
  AgentId: 'agent',
  ContactFlowId: 'flow',
  ContactFlowArn: 'flow',
  FlowModuleId: 'module',
  HoursOfOperationId: 'hours',
  PromptId: 'prompt',
  QuickConnectId: 'quickConnect',
  LambdaFunctionARN: 'lambda',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every static reference in the content's actions, in action order. Dynamic values (`$.`) are left
 * out; anything else in a reference-bearing parameter is reported, including template
 * placeholders such as `${var.queue}`, since Connect would try to resolve those too.
 */
export function findFlowReferences(content: unknown): FlowReference[] {
  if (!isObject(content) || !Array.isArray(content.Actions)) return [];
  const found: FlowReference[] = [];

  content.Actions.forEach((action: unknown, index: number) => {
    if (!isObject(action) || !isObject(action.Parameters)) return;
    const parameters = action.Parameters;
    const base = {
      actionIndex: index,
      actionIdentifier: typeof action.Identifier === 'string' ? action.Identifier : '',
      actionType: typeof action.Type === 'string' ? action.Type : '',
    };
    const add = (field: string, kind: FlowReferenceKind, value: unknown) => {
      if (typeof value !== 'string' || value === '' || isDynamicValue(value)) return;
      found.push({ ...base, path: `${index}.Parameters.${field}`, kind, ...classify(value) });
    };

    for (const [name, kind] of Object.entries(PARAMETER_KINDS)) add(name, kind, parameters[name]);

    if (isObject(parameters.EventHooks)) {
      for (const [hook, value] of Object.entries(parameters.EventHooks)) {
        add(`EventHooks.${hook}`, 'flow', value);
      }
    }
    if (Array.isArray(parameters.Messages)) {
      parameters.Messages.forEach((message: unknown, i: number) => {
        if (isObject(message)) add(`Messages.${i}.PromptId`, 'prompt', message.PromptId);
      });
    }
    if (isObject(parameters.LexV2Bot))
      add('LexV2Bot.AliasArn', 'lexV2Alias', parameters.LexV2Bot.AliasArn);
    if (isObject(parameters.ViewResource))
      add('ViewResource.Id', 'view', parameters.ViewResource.Id);

    const lex = parameters.LexBot;
    if (
      isObject(lex) &&
      typeof lex.Name === 'string' &&
      lex.Name !== '' &&
      !isDynamicValue(lex.Name)
    ) {
      found.push({
        ...base,
        path: `${index}.Parameters.LexBot.Name`,
        kind: 'lexV1',
        value: lex.Name,
        form: 'id',
        id: lex.Name,
        lexV1: {
          name: lex.Name,
          region: typeof lex.Region === 'string' ? lex.Region : undefined,
          alias: typeof lex.Alias === 'string' ? lex.Alias : undefined,
        },
      });
    }
  });
  return found;
}

function classify(
  value: string,
): Pick<FlowReference, 'value' | 'form' | 'arn' | 'id' | 'qualifier'> {
  const arn = parseArn(value);
  if (arn) {
    return { value, form: 'arn', arn, id: arn.resourceId ?? '', qualifier: arn.qualifier };
  }
  // A bare module or flow id may carry a version or alias qualifier just as an ARN does.
  const colon = value.indexOf(':');
  return colon > 0
    ? { value, form: 'id', id: value.slice(0, colon), qualifier: value.slice(colon + 1) }
    : { value, form: 'id', id: value };
}
