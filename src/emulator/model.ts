/**
 * The emulator's state: plain JSON-serialisable data, so it can be saved to and loaded from a
 * file (`--state FILE`) byte for byte. Every timestamp is epoch seconds, as Connect sends them.
 */

export type Tags = Record<string, string>;

export interface HoursConfig {
  Day: string;
  StartTime: { Hours: number; Minutes: number };
  EndTime: { Hours: number; Minutes: number };
}

export interface HoursRecord {
  Id: string;
  Name: string;
  Description?: string;
  TimeZone: string;
  Config: HoursConfig[];
  Tags: Tags;
  LastModifiedTime: number;
}

export interface QueueRecord {
  Id: string;
  /** Agent queues have no name; their id is the user's id. */
  Name?: string;
  QueueType: 'STANDARD' | 'AGENT';
  Description?: string;
  HoursOfOperationId?: string;
  MaxContacts?: number;
  Status: 'ENABLED' | 'DISABLED';
  OutboundCallerConfig?: {
    OutboundCallerIdName?: string;
    OutboundCallerIdNumberId?: string;
    OutboundFlowId?: string;
  };
  OutboundEmailConfig?: { OutboundEmailAddressId?: string };
  QuickConnectIds: string[];
  Tags: Tags;
  LastModifiedTime: number;
}

export interface RoutingProfileQueueConfig {
  QueueId: string;
  Channel: string;
  Priority: number;
  Delay: number;
}

export interface MediaConcurrency {
  Channel: string;
  Concurrency: number;
  CrossChannelBehavior?: { BehaviorType: string };
}

export interface RoutingProfileRecord {
  Id: string;
  Name: string;
  Description: string;
  DefaultOutboundQueueId: string;
  MediaConcurrencies: MediaConcurrency[];
  QueueConfigs: RoutingProfileQueueConfig[];
  AgentAvailabilityTimer?: string;
  IsDefault: boolean;
  Tags: Tags;
  LastModifiedTime: number;
}

export interface FlowRecord {
  Id: string;
  Name: string;
  Type: string;
  Description?: string;
  State: 'ACTIVE' | 'ARCHIVED';
  Status: 'PUBLISHED' | 'SAVED';
  /** The published content, or the only content of a never-published flow. */
  Content: string;
  /** An unpublished draft saved over a published flow with `{id}:$SAVED`. */
  Draft?: string;
  /** Immutable snapshots of the published content (CreateContactFlowVersion), oldest first. */
  Versions?: FlowVersionRecord[];
  Tags: Tags;
  LastModifiedTime: number;
}

export interface FlowVersionRecord {
  Version: number;
  Description?: string;
  Content: string;
  CreatedTime: number;
}

export interface ModuleRecord {
  Id: string;
  Name: string;
  Description?: string;
  State: 'ACTIVE' | 'ARCHIVED';
  Status: 'PUBLISHED' | 'SAVED';
  Content: string;
  Draft?: string;
  Settings?: string;
  /** Settings saved with a draft (`{id}:$SAVED`) of a published module. */
  DraftSettings?: string;
  ExternalInvocationConfiguration?: { Enabled: boolean };
  Tags: Tags;
  LastModifiedTime: number;
}

export interface PromptRecord {
  Id: string;
  Name: string;
  Description?: string;
  S3Uri?: string;
  Tags: Tags;
  LastModifiedTime: number;
}

export interface QuickConnectRecord {
  Id: string;
  Name: string;
  Description?: string;
  QuickConnectConfig: {
    QuickConnectType: 'USER' | 'QUEUE' | 'PHONE_NUMBER' | 'FLOW';
    UserConfig?: { UserId: string; ContactFlowId: string };
    QueueConfig?: { QueueId: string; ContactFlowId: string };
    PhoneConfig?: { PhoneNumber: string };
    FlowConfig?: { ContactFlowId: string };
  };
  Tags: Tags;
  LastModifiedTime: number;
}

export interface SecurityProfileRecord {
  Id: string;
  Name: string;
  Description?: string;
  Tags: Tags;
  LastModifiedTime: number;
}

export interface UserRecord {
  Id: string;
  Username: string;
  RoutingProfileId?: string;
  SecurityProfileIds?: string[];
  PhoneConfig?: {
    PhoneType: string;
    AutoAccept?: boolean;
    AfterContactWorkTimeLimit?: number;
    DeskPhoneNumber?: string;
  };
  IdentityInfo?: { FirstName?: string; LastName?: string; Email?: string };
  Tags: Tags;
  LastModifiedTime: number;
}

export interface LexV1BotRef {
  Name: string;
  LexRegion: string;
}

export interface InstanceRecord {
  Id: string;
  Account: string;
  Region: string;
  Alias: string;
  IdentityManagementType: string;
  InboundCallsEnabled: boolean;
  OutboundCallsEnabled: boolean;
  CreatedTime: number;
  Tags: Tags;
  hours: Record<string, HoursRecord>;
  queues: Record<string, QueueRecord>;
  routingProfiles: Record<string, RoutingProfileRecord>;
  flows: Record<string, FlowRecord>;
  modules: Record<string, ModuleRecord>;
  prompts: Record<string, PromptRecord>;
  quickConnects: Record<string, QuickConnectRecord>;
  securityProfiles: Record<string, SecurityProfileRecord>;
  users: Record<string, UserRecord>;
  /** Function ARNs exactly as associated. */
  lambdaFunctions: string[];
  lexBots: LexV1BotRef[];
  /** Lex V2 alias ARNs exactly as associated. */
  lexV2Bots: string[];
}

export interface LambdaFunctionRecord {
  FunctionName: string;
  Account: string;
  Region: string;
  Runtime: string;
  Role: string;
  Handler: string;
  Description: string;
  Timeout: number;
  MemorySize: number;
  /** Base64 of the uploaded package; stored, never run. */
  Code: string;
  CodeSha256: string;
  CodeSize: number;
  LastModified: string;
  RevisionId: string;
  Aliases: string[];
  Tags: Tags;
  Policy: unknown[];
}

export interface LexV2BotRecord {
  BotId: string;
  BotName: string;
  Account: string;
  Region: string;
  Description?: string;
  RoleArn?: string;
  CreatedTime?: number;
  Aliases: { BotAliasId: string; BotAliasName: string; BotVersion?: string }[];
}

export interface EmulatorState {
  version: 1;
  /** Account used when a request's access key names none and no instance tells. */
  defaultAccount: string;
  instances: Record<string, InstanceRecord>;
  /** Keyed by `${account}:${region}:${functionName}`. */
  lambdaFunctions: Record<string, LambdaFunctionRecord>;
  /** Keyed by `${account}:${region}:${botId}`. */
  lexV2Bots: Record<string, LexV2BotRecord>;
}

export function emptyState(defaultAccount = '111122223333'): EmulatorState {
  return { version: 1, defaultAccount, instances: {}, lambdaFunctions: {}, lexV2Bots: {} };
}

export function nowSeconds(): number {
  return Math.round(Date.now()) / 1000;
}

export function instanceArn(instance: Pick<InstanceRecord, 'Region' | 'Account' | 'Id'>): string {
  return `arn:aws:connect:${instance.Region}:${instance.Account}:instance/${instance.Id}`;
}

/** ARN path segment per resource kind, as Connect writes them (note `operating-hours`). */
export const ARN_SEGMENT = {
  flow: 'contact-flow',
  module: 'flow-module',
  queue: 'queue',
  agentQueue: 'queue/agent',
  routingProfile: 'routing-profile',
  hours: 'operating-hours',
  prompt: 'prompt',
  quickConnect: 'transfer-destination',
  user: 'agent',
  securityProfile: 'security-profile',
} as const;

export type ArnKind = keyof typeof ARN_SEGMENT;

export function resourceArn(instance: InstanceRecord, kind: ArnKind, id: string): string {
  return `${instanceArn(instance)}/${ARN_SEGMENT[kind]}/${id}`;
}

export function lambdaArn(account: string, region: string, name: string): string {
  return `arn:aws:lambda:${region}:${account}:function:${name}`;
}
