import type { Emulator } from './server';
import type { EmulatorState, InstanceRecord } from './model';
import { notFound } from './errors';

export type Service = 'connect' | 'lambda' | 'lex';

export interface RequestContext {
  operation: string;
  service: Service;
  /** Path labels, each decoded after the raw path was split on `/`. */
  params: Record<string, string>;
  /** Query keys as sent: list members arrive as repeated keys. */
  query: URLSearchParams;
  body: Record<string, unknown>;
  account: string;
  /** The account named by the access key id, when it names one (see parseAuthorization). */
  keyAccount?: string;
  region: string;
  emulator: Emulator;
  state: EmulatorState;
  /** HTTP status of a successful answer; most operations answer 200. */
  status: number;
  /** The instance named by the `InstanceId` path label or body member, or a 404. */
  instance(): InstanceRecord;
}

export type Handler = (ctx: RequestContext) => unknown;

export interface Route {
  method: string;
  /** Path template with `{Label}` segments, as in the service model. */
  path: string;
  operation: string;
  service?: Service;
  handler: Handler;
}

interface CompiledRoute extends Route {
  segments: string[];
}

export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(routes: Route[]): void {
    for (const route of routes) {
      this.routes.push({ ...route, segments: route.path.split('/') });
    }
  }

  /**
   * Labels may hold `:`, `$` and `/` percent-encoded (ARNs, `id:$SAVED`), so the raw path is split
   * first and each segment decoded afterwards; decoding first would break ARNs apart.
   */
  match(
    method: string,
    rawPath: string,
  ): { route: CompiledRoute; params: Record<string, string> } | undefined {
    const segments = rawPath.split('/');
    // Literal segments outrank labels, so `/instance/{id}/lambda-functions` never matches a label.
    let best:
      { route: CompiledRoute; params: Record<string, string>; literals: number } | undefined;
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const template = route.segments[i];
        if (template.startsWith('{') && template.endsWith('}')) {
          params[template.slice(1, -1)] = safeDecode(segments[i]);
        } else if (template === segments[i]) {
          literals++;
        } else {
          ok = false;
        }
      }
      if (ok && (!best || literals > best.literals)) best = { route, params, literals };
    }
    return best && { route: best.route, params: best.params };
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The instance a request names. Instances are regional and belong to one account, so asking in
 * another region (or, with a key naming an account, as another account) finds nothing, as on AWS.
 */
export function findInstance(
  state: EmulatorState,
  idOrArn: unknown,
  caller?: { region: string; keyAccount?: string },
): InstanceRecord {
  const raw = typeof idOrArn === 'string' ? idOrArn : '';
  // Alias and version APIs accept the instance ARN as well as the id.
  const id = raw.startsWith('arn:') ? raw.slice(raw.lastIndexOf('/') + 1) : raw;
  const instance = state.instances[id];
  const visible =
    instance &&
    (!caller ||
      (instance.Region === caller.region &&
        (!caller.keyAccount || instance.Account === caller.keyAccount)));
  if (!visible) throw notFound(`Instance not found: ${raw || '(none)'}`);
  return instance;
}
