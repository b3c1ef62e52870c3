/**
 * What the Connect adapter reads from an instance, in the API's own shapes. The pure core turns it
 * into a snapshot (canonical files and the mapping); the adapter fills it with as few calls as it
 * can. Only types are imported from the SDK, so the core stays free of I/O.
 */
import type {
  ContactFlow,
  ContactFlowModule,
  HoursOfOperation,
  Prompt,
  Queue,
  QuickConnect,
  RoutingProfile,
  RoutingProfileQueueConfigSummary,
  SecurityProfileSummary,
  UserSummary,
  QueueSummary,
  ListPhoneNumbersSummary,
} from '@aws-sdk/client-connect';

export interface RawInstanceInfo {
  id: string;
  arn: string;
  alias: string;
  region: string;
  account: string;
}

export interface RawQueue {
  queue: Queue;
  /** Ids of the quick connects associated with the queue (ListQueueQuickConnects). */
  quickConnectIds: string[];
}

export interface RawRoutingProfile {
  profile: RoutingProfile;
  /** One row per queue and channel (ListRoutingProfileQueues); Describe leaves them out. */
  queueConfigs: RoutingProfileQueueConfigSummary[];
  /** What the list and search calls show of the profile (see `routingProfileListing`). */
  listing?: string;
  /** Set when the profile was taken from an earlier read: its fingerprint at that read. */
  fingerprint?: string;
}

export interface RawFlow {
  /** The published flow, or the only content of a flow never published. */
  flow: ContactFlow;
  /** A newer unpublished draft saved over the published content, when there is one. */
  draft?: ContactFlow;
}

export interface RawModule {
  module: ContactFlowModule;
  draft?: ContactFlowModule;
}

export interface RawLexV2Alias {
  aliasArn: string;
  /** Bot and alias names, when the Lex models API could name them. */
  botName?: string;
  aliasName?: string;
}

export interface RawInstance {
  instance: RawInstanceInfo;
  hours: HoursOfOperation[];
  queues: RawQueue[];
  /** Agent queues: mapped (a flow can target an agent's queue), never stored as files. */
  agentQueues: QueueSummary[];
  routingProfiles: RawRoutingProfile[];
  flows: RawFlow[];
  modules: RawModule[];
  prompts: Prompt[];
  quickConnects: QuickConnect[];
  users: UserSummary[];
  securityProfiles: SecurityProfileSummary[];
  /** Function ARNs associated with the instance, exactly as associated. */
  lambdaFunctions: string[];
  lexBots: { name: string; region: string }[];
  lexV2Aliases: RawLexV2Alias[];
  /**
   * Phone numbers claimed by the instance (ListPhoneNumbersV2), so a queue's outbound caller id
   * number can be stored as a token. Optional: without it the number id stays literal.
   */
  phoneNumbers?: ListPhoneNumbersSummary[];
}
