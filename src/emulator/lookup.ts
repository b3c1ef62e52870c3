/**
 * Finding Connect resources by id or ARN, shared by the handlers, the tag API, the flow validator
 * and the seed importer.
 */
import {
  ARN_SEGMENT,
  ArnKind,
  EmulatorState,
  FlowRecord,
  HoursRecord,
  InstanceRecord,
  ModuleRecord,
  PromptRecord,
  QueueRecord,
  QuickConnectRecord,
  RoutingProfileRecord,
  SecurityProfileRecord,
  UserRecord,
} from './model';

/** The record type behind each ARN kind; an agent queue is its user. */
export interface KindRecords {
  flow: FlowRecord;
  module: ModuleRecord;
  queue: QueueRecord;
  agentQueue: UserRecord;
  routingProfile: RoutingProfileRecord;
  hours: HoursRecord;
  prompt: PromptRecord;
  quickConnect: QuickConnectRecord;
  user: UserRecord;
  securityProfile: SecurityProfileRecord;
}

const COLLECTIONS: { [K in ArnKind]: (i: InstanceRecord) => Record<string, KindRecords[K]> } = {
  flow: (i) => i.flows,
  module: (i) => i.modules,
  queue: (i) => i.queues,
  agentQueue: (i) => i.users,
  routingProfile: (i) => i.routingProfiles,
  hours: (i) => i.hours,
  prompt: (i) => i.prompts,
  quickConnect: (i) => i.quickConnects,
  user: (i) => i.users,
  securityProfile: (i) => i.securityProfiles,
};

export function collectionOf<K extends ArnKind>(
  instance: InstanceRecord,
  kind: K,
): Record<string, KindRecords[K]> {
  return COLLECTIONS[kind](instance);
}

const KIND_BY_SEGMENT = new Map<string, ArnKind>(
  (Object.entries(ARN_SEGMENT) as [ArnKind, string][]).map(([kind, segment]) => [segment, kind]),
);

export interface ParsedConnectArn {
  region: string;
  account: string;
  instanceId: string;
  /** Absent for the instance's own ARN. */
  kind?: ArnKind;
  id?: string;
}

const CONNECT_ARN = /^arn:aws[a-z-]*:connect:([a-z0-9-]+):(\d{12}):instance\/([^/]+)(?:\/(.+))?$/;

export function parseConnectArn(arn: string): ParsedConnectArn | undefined {
  const match = CONNECT_ARN.exec(arn);
  if (!match) return undefined;
  const [, region, account, instanceId, rest] = match;
  if (rest === undefined) return { region, account, instanceId };
  // `queue/agent/{userId}` is the only segment with a slash in it.
  const agent = /^queue\/agent\/([^/]+)$/.exec(rest);
  if (agent) return { region, account, instanceId, kind: 'agentQueue', id: agent[1] };
  const plain = /^([a-z-]+)\/([^/]+)$/.exec(rest);
  const kind = plain ? KIND_BY_SEGMENT.get(plain[1]) : undefined;
  if (!plain || !kind) return undefined;
  return { region, account, instanceId, kind, id: plain[2] };
}

/** Flows and modules may be referenced with a qualifier (`:$SAVED`, `:3`); the record is one. */
function withoutQualifier(kind: ArnKind, id: string): string {
  return kind === 'flow' || kind === 'module' ? id.split(':')[0] : id;
}

function own<T>(records: Record<string, T>, id: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(records, id) ? records[id] : undefined;
}

/**
 * A resource of this instance by bare id or ARN. An ARN must name this very instance (account,
 * region and id) and the same kind: an ARN copied from another instance resolves to nothing.
 */
export function findResource<K extends ArnKind>(
  instance: InstanceRecord,
  kind: K,
  idOrArn: string,
): KindRecords[K] | undefined {
  let id = idOrArn;
  if (idOrArn.startsWith('arn:')) {
    const parsed = parseConnectArn(idOrArn);
    if (
      !parsed?.id ||
      parsed.kind !== kind ||
      parsed.instanceId !== instance.Id ||
      parsed.account !== instance.Account ||
      parsed.region !== instance.Region
    ) {
      return undefined;
    }
    id = parsed.id;
  }
  return own(COLLECTIONS[kind](instance), withoutQualifier(kind, id));
}

export interface ResolvedArn {
  instance: InstanceRecord;
  kind: ArnKind | 'instance';
  id: string;
}

/** The instance or resource an ARN names, if it exists in the emulator. */
export function resolveConnectArn(state: EmulatorState, arn: string): ResolvedArn | undefined {
  const parsed = parseConnectArn(arn);
  if (!parsed) return undefined;
  const instance = own(state.instances, parsed.instanceId);
  if (!instance || instance.Account !== parsed.account || instance.Region !== parsed.region) {
    return undefined;
  }
  if (!parsed.kind || !parsed.id) return { instance, kind: 'instance', id: instance.Id };
  const record = findResource(instance, parsed.kind, arn);
  return record ? { instance, kind: parsed.kind, id: record.Id } : undefined;
}
