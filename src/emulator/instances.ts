import { newId } from './common';
import { seedDefaultResources } from './defaults';
import { EmulatorState, InstanceRecord, nowSeconds, Tags } from './model';
import { duplicate, invalidParameter } from './errors';

export interface NewInstance {
  id?: string;
  alias?: string;
  account: string;
  region: string;
  identityManagementType?: string;
  inboundCallsEnabled?: boolean;
  outboundCallsEnabled?: boolean;
  tags?: Tags;
  /** Create the resources every new Connect instance has (default flows, BasicQueue, ...). */
  defaults?: boolean;
  /** A seeded instance uses fixed ids for its defaults, so repeated seeds produce equal ids. */
  idFor?: (kind: string, name: string) => string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ALIAS = /^(?!d-)([\da-zA-Z]+)([-]*[\da-zA-Z])*$/;

export function createInstance(state: EmulatorState, spec: NewInstance): InstanceRecord {
  const id = spec.id ?? newId();
  if (!UUID.test(id)) throw invalidParameter(`Instance id ${id} is not a lower-case UUID.`);
  if (state.instances[id]) throw duplicate(`Instance ${id} already exists.`);
  if (!/^\d{12}$/.test(spec.account)) {
    throw invalidParameter(`Account ${spec.account} is not a 12-digit AWS account id.`);
  }
  const alias = spec.alias ?? `instance-${id.slice(0, 8)}`;
  if (alias.length > 45 || !ALIAS.test(alias)) {
    throw invalidParameter(`InstanceAlias ${alias} is not valid (letters, digits and -, 1-45).`);
  }
  const taken = Object.values(state.instances).some(
    (i) => i.Alias === alias && i.Region === spec.region,
  );
  if (taken) throw duplicate(`An instance with alias ${alias} already exists in ${spec.region}.`);

  const instance: InstanceRecord = {
    Id: id,
    Account: spec.account,
    Region: spec.region,
    Alias: alias,
    IdentityManagementType: spec.identityManagementType ?? 'CONNECT_MANAGED',
    InboundCallsEnabled: spec.inboundCallsEnabled ?? true,
    OutboundCallsEnabled: spec.outboundCallsEnabled ?? true,
    CreatedTime: nowSeconds(),
    Tags: spec.tags ?? {},
    hours: {},
    queues: {},
    routingProfiles: {},
    flows: {},
    modules: {},
    prompts: {},
    quickConnects: {},
    securityProfiles: {},
    users: {},
    lambdaFunctions: [],
    lexBots: [],
    lexV2Bots: [],
  };
  if (spec.defaults !== false) seedDefaultResources(instance, spec.idFor ?? (() => newId()));
  state.instances[id] = instance;
  return instance;
}
