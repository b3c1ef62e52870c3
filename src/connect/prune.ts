import { DeleteContactFlowCommand, DeleteContactFlowModuleCommand } from '@aws-sdk/client-connect';
import type { Clients } from './clients';
import { translateError } from './errors';

export interface PruneTarget {
  kind: 'flow' | 'module';
  name: string;
  id: string;
}

/**
 * Deletes exactly the flows and modules given: `rollback --prune` passes those created since the
 * commit it rolls back to, and nothing else is ever deleted.
 */
export async function deleteFlowsAndModules(
  clients: Clients,
  instanceId: string,
  targets: PruneTarget[],
): Promise<PruneTarget[]> {
  const deleted: PruneTarget[] = [];
  for (const target of targets) {
    try {
      if (target.kind === 'flow') {
        await clients.connect.send(
          new DeleteContactFlowCommand({ InstanceId: instanceId, ContactFlowId: target.id }),
        );
      } else {
        await clients.connect.send(
          new DeleteContactFlowModuleCommand({
            InstanceId: instanceId,
            ContactFlowModuleId: target.id,
          }),
        );
      }
      deleted.push(target);
    } catch (error) {
      // Already gone (an interrupted prune deleted it): what was asked for holds.
      if ((error as Error).name === 'ResourceNotFoundException') {
        deleted.push(target);
        continue;
      }
      throw translateError(error, { ...clients.context, instance: instanceId });
    }
  }
  return deleted;
}
