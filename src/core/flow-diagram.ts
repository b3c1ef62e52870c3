/**
 * A flow or module file drawn as a graph: one node per action, edges for its transitions, and the
 * resources its parameters reference (read from the portable tokens, so a diagram shows names,
 * never ids). Rendered as Mermaid text or as a self-contained SVG with a simple layered layout,
 * so `show` needs neither a browser nor the network.
 */
import stableStringify from 'json-stable-stringify';
import { isObject } from './env-files';
import { scanTokens, walkStrings } from './token-refs';

export type NodeKind = 'start' | 'action' | 'missing' | 'resource';
export type EdgeKind = 'next' | 'error' | 'condition' | 'resource';
export type BlockChange = 'added' | 'changed';

export interface DiagramNode {
  /** Safe in Mermaid and SVG: `start`, `a0`, `r3`, `m1`. */
  id: string;
  kind: NodeKind;
  /** First line: the action Type, or the resource kind. */
  title: string;
  /** Second line: the friendly name or identifier, or the resource name. */
  subtitle: string;
  /** The action's Identifier (actions and missing targets only). */
  identifier?: string;
  change?: BlockChange;
}

export interface DiagramEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  label?: string;
}

export interface FlowGraph {
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

export interface ChangedBlock {
  identifier: string;
  type: string;
  change: BlockChange;
}

interface Action {
  identifier: string;
  type: string;
  raw: Record<string, unknown>;
}

function actionsOf(content: unknown): Action[] {
  if (!isObject(content) || !Array.isArray(content.Actions)) return [];
  return content.Actions.filter(isObject).map((raw) => ({
    identifier: typeof raw.Identifier === 'string' ? raw.Identifier : '',
    type: typeof raw.Type === 'string' ? raw.Type : 'Unknown',
    raw,
  }));
}

/**
 * Actions of `content` that are new or differ from the action with the same Identifier in
 * `previous`, in flow order; plus the identifiers that `previous` had and `content` has not.
 * Only the action itself counts: moving a block in the designer changes Metadata, not behaviour.
 */
export function compareBlocks(
  content: unknown,
  previous: unknown,
): { changed: ChangedBlock[]; removed: string[] } {
  const before = new Map(actionsOf(previous).map((a) => [a.identifier, stableStringify(a.raw)]));
  const current = actionsOf(content);
  const changed: ChangedBlock[] = [];
  for (const action of current) {
    const old = before.get(action.identifier);
    if (old === undefined) {
      changed.push({ identifier: action.identifier, type: action.type, change: 'added' });
    } else if (old !== stableStringify(action.raw)) {
      changed.push({ identifier: action.identifier, type: action.type, change: 'changed' });
    }
  }
  const now = new Set(current.map((a) => a.identifier));
  const removed = [...before.keys()].filter((id) => !now.has(id));
  return { changed, removed };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tokens read as `queue Sales`; other text is kept as it is. */
export function readableText(text: string): string {
  let out = text;
  for (const ref of scanTokens(text)) {
    const readable =
      ref.type === 'resource'
        ? `${ref.kind} ${ref.name}`
        : ref.type === 'open'
          ? '{{cc:'
          : ref.type === 'malformed'
            ? ref.raw
            : ref.type;
    out = out.replace(ref.raw, readable);
  }
  return out;
}

function friendlyName(content: Record<string, unknown>, identifier: string): string {
  const metadata = isObject(content.Metadata) ? content.Metadata : undefined;
  const perAction = metadata && isObject(metadata.ActionMetadata) ? metadata.ActionMetadata : {};
  const entry = perAction[identifier];
  if (isObject(entry) && typeof entry.friendlyName === 'string' && entry.friendlyName.trim()) {
    return entry.friendlyName;
  }
  // Designer identifiers are UUIDs: the first group is enough to tell blocks apart on screen.
  return UUID.test(identifier) ? identifier.slice(0, 8) : identifier;
}

function conditionLabel(condition: unknown): string | undefined {
  if (!isObject(condition)) return undefined;
  const operator = typeof condition.Operator === 'string' ? condition.Operator : '';
  const operands = Array.isArray(condition.Operands)
    ? condition.Operands.map((o) => readableText(typeof o === 'string' ? o : JSON.stringify(o)))
    : [];
  return [operator, operands.join(', ')].filter(Boolean).join(' ') || undefined;
}

/** The graph of a flow's (or module's) `Content`; `changes` marks blocks by Identifier. */
export function buildFlowGraph(content: unknown, changes: readonly ChangedBlock[] = []): FlowGraph {
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const actions = actionsOf(content);
  const changeOf = new Map(changes.map((c) => [c.identifier, c.change]));
  const actionNode = new Map<string, string>();
  const contentObject = isObject(content) ? content : {};

  actions.forEach((action, i) => {
    if (actionNode.has(action.identifier)) return;
    const id = `a${i}`;
    actionNode.set(action.identifier, id);
    const change = changeOf.get(action.identifier);
    nodes.push({
      id,
      kind: 'action',
      title: action.type,
      subtitle: friendlyName(contentObject, action.identifier),
      identifier: action.identifier,
      ...(change ? { change } : {}),
    });
  });

  let missing = 0;
  const target = (identifier: string): string => {
    const known = actionNode.get(identifier);
    if (known) return known;
    const id = `m${missing++}`;
    actionNode.set(identifier, id);
    nodes.push({ id, kind: 'missing', title: 'Missing action', subtitle: identifier, identifier });
    return id;
  };

  const start = contentObject.StartAction;
  if (typeof start === 'string') {
    nodes.unshift({ id: 'start', kind: 'start', title: 'Start', subtitle: '' });
    edges.push({ from: 'start', to: target(start), kind: 'next' });
  }

  const resourceNode = new Map<string, string>();
  for (const action of actions) {
    const from = actionNode.get(action.identifier) as string;
    const transitions = isObject(action.raw.Transitions) ? action.raw.Transitions : {};
    if (typeof transitions.NextAction === 'string') {
      edges.push({ from, to: target(transitions.NextAction), kind: 'next' });
    }
    for (const condition of Array.isArray(transitions.Conditions) ? transitions.Conditions : []) {
      if (!isObject(condition) || typeof condition.NextAction !== 'string') continue;
      const label = conditionLabel(condition.Condition);
      const to = target(condition.NextAction);
      edges.push({ from, to, kind: 'condition', ...(label ? { label } : {}) });
    }
    for (const error of Array.isArray(transitions.Errors) ? transitions.Errors : []) {
      if (!isObject(error) || typeof error.NextAction !== 'string') continue;
      const label = typeof error.ErrorType === 'string' ? error.ErrorType : undefined;
      edges.push({
        from,
        to: target(error.NextAction),
        kind: 'error',
        ...(label ? { label } : {}),
      });
    }

    const seen = new Set<string>();
    walkStrings(action.raw.Parameters, (text) => {
      if (!text.includes('{{cc:')) return;
      for (const ref of scanTokens(text)) {
        if (ref.type !== 'resource') continue;
        const key = `${ref.kind}:${ref.name}`;
        if (!resourceNode.has(key)) {
          const id = `r${resourceNode.size}`;
          resourceNode.set(key, id);
          nodes.push({ id, kind: 'resource', title: ref.kind, subtitle: ref.name });
        }
        if (seen.has(key)) continue;
        seen.add(key);
        edges.push({ from, to: resourceNode.get(key) as string, kind: 'resource' });
      }
    });
  }
  return { nodes, edges };
}

// ---- Mermaid ----------------------------------------------------------------------------------

/** Mermaid reads `#quot;`-style entities inside quoted labels; quotes and brackets must be. */
function mermaidText(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/&/g, '#amp;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\|/g, '#124;')
    .replace(/[\r\n]+/g, ' ');
}

const MERMAID_CLASSES: Record<string, string> = {
  added: 'fill:#d7f5dd,stroke:#2e7d32,stroke-width:2px',
  changed: 'fill:#fff1b8,stroke:#b7791f,stroke-width:2px',
  resource: 'fill:#e8eefc,stroke:#5a6fa8',
  missing: 'fill:#fde2e2,stroke:#c53030,stroke-dasharray:4 3',
};

export function renderMermaid(graph: FlowGraph): string {
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) {
    const label = node.subtitle
      ? `${mermaidText(node.title)}<br/>${mermaidText(node.subtitle)}`
      : mermaidText(node.title);
    if (node.kind === 'start') lines.push(`  ${node.id}(("${label}"))`);
    else if (node.kind === 'resource') lines.push(`  ${node.id}[/"${label}"/]`);
    else lines.push(`  ${node.id}["${label}"]`);
  }
  for (const edge of graph.edges) {
    const arrow = edge.kind === 'resource' ? '-.->' : edge.kind === 'error' ? '==>' : '-->';
    const label = edge.label ? `|"${mermaidText(edge.label)}"|` : '';
    lines.push(`  ${edge.from} ${arrow}${label} ${edge.to}`);
  }

  const members = new Map<string, string[]>();
  for (const node of graph.nodes) {
    const cls =
      node.change ?? (node.kind === 'resource' || node.kind === 'missing' ? node.kind : '');
    if (cls) members.set(cls, [...(members.get(cls) ?? []), node.id]);
  }
  for (const [cls, ids] of members) {
    lines.push(`  classDef ${cls} ${MERMAID_CLASSES[cls]}`);
    lines.push(`  class ${ids.join(',')} ${cls}`);
  }
  return lines.join('\n') + '\n';
}

// ---- SVG --------------------------------------------------------------------------------------

const NODE_WIDTH = 210;
const NODE_HEIGHT = 46;
const COLUMN_GAP = 90;
const ROW_GAP = 26;
const MARGIN = 24;
const MAX_CHARS = 30;

export interface LaidOutNode extends DiagramNode {
  x: number;
  y: number;
  layer: number;
}

/**
 * Columns by breadth-first distance from the start along transitions (so the main path reads
 * left to right and loops point backwards); actions no transition reaches start their own
 * search after the others; resources sit in one column on the right.
 */
export function layoutGraph(graph: FlowGraph): LaidOutNode[] {
  const layer = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (edge.kind === 'resource') continue;
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  }
  const flowNodes = graph.nodes.filter((n) => n.kind !== 'resource');
  for (const root of flowNodes) {
    if (layer.has(root.id)) continue;
    layer.set(root.id, 0);
    const queue = [root.id];
    while (queue.length > 0) {
      const id = queue.shift() as string;
      for (const to of next.get(id) ?? []) {
        if (layer.has(to)) continue;
        layer.set(to, (layer.get(id) as number) + 1);
        queue.push(to);
      }
    }
  }
  const resourceLayer = flowNodes.length === 0 ? 0 : Math.max(...layer.values()) + 1;
  const rows = new Map<number, number>();
  return graph.nodes.map((node) => {
    const column = node.kind === 'resource' ? resourceLayer : (layer.get(node.id) as number);
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    return {
      ...node,
      layer: column,
      x: MARGIN + column * (NODE_WIDTH + COLUMN_GAP),
      y: MARGIN + row * (NODE_HEIGHT + ROW_GAP),
    };
  });
}

function xmlText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .split('')
    .filter((c) => !isXmlForbidden(c.charCodeAt(0)))
    .join('');
}

/** XML 1.0 allows no control characters other than tab, line feed and carriage return. */
const isXmlForbidden = (code: number): boolean =>
  code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d;

function clip(text: string): string {
  const chars = [...text];
  return chars.length > MAX_CHARS ? chars.slice(0, MAX_CHARS - 1).join('') + '\u2026' : text;
}

const FILL: Record<string, { fill: string; stroke: string }> = {
  added: { fill: '#d7f5dd', stroke: '#2e7d32' },
  changed: { fill: '#fff1b8', stroke: '#b7791f' },
  action: { fill: '#f5f7fa', stroke: '#8a94a6' },
  start: { fill: '#e6f4ea', stroke: '#3c8d5a' },
  resource: { fill: '#e8eefc', stroke: '#5a6fa8' },
  missing: { fill: '#fde2e2', stroke: '#c53030' },
};

const EDGE_STYLE: Record<EdgeKind, string> = {
  next: 'stroke="#4a5568"',
  condition: 'stroke="#2b6cb0"',
  error: 'stroke="#c53030" stroke-dasharray="6 4"',
  resource: 'stroke="#8a94a6" stroke-dasharray="2 4"',
};

export function renderSvg(graph: FlowGraph, title = 'flow'): string {
  const laid = layoutGraph(graph);
  const byId = new Map(laid.map((n) => [n.id, n]));
  const width = Math.max(...laid.map((n) => n.x + NODE_WIDTH), 0) + MARGIN;
  const height = Math.max(...laid.map((n) => n.y + NODE_HEIGHT), 0) + MARGIN;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" ` +
      `font-size="12">`,
    `<title>${xmlText(title)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" ' +
      'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" ' +
      'fill="#4a5568"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];

  for (const edge of graph.edges) {
    const a = byId.get(edge.from);
    const b = byId.get(edge.to);
    if (!a || !b) continue;
    const x1 = a.x + NODE_WIDTH;
    const y1 = a.y + NODE_HEIGHT / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_HEIGHT / 2;
    // Backward edges (loops, retries) bend around so they do not cross their own nodes.
    const bend = x2 > x1 ? Math.max(40, (x2 - x1) / 2) : NODE_WIDTH;
    const c1x = x1 + bend;
    const c2x = x2 - bend;
    out.push(
      `<path class="edge edge-${edge.kind}" d="M${x1},${y1} C${c1x},${y1} ${c2x},${y2} ` +
        `${x2},${y2}" fill="none" ${EDGE_STYLE[edge.kind]} marker-end="url(#arrow)"/>`,
    );
    if (edge.label) {
      const lx = (x1 + 3 * c1x + 3 * c2x + x2) / 8;
      const ly = (y1 + 3 * y1 + 3 * y2 + y2) / 8 - 4;
      out.push(
        `<text class="edge-label" x="${lx}" y="${ly}" text-anchor="middle" fill="#2d3748" ` +
          `font-size="10">${xmlText(clip(edge.label))}</text>`,
      );
    }
  }

  for (const node of laid) {
    const style = FILL[node.change ?? node.kind];
    const changed = node.change ? ` data-change="${node.change}"` : '';
    const identifier = node.identifier ? ` data-identifier="${xmlText(node.identifier)}"` : '';
    const rx = node.kind === 'start' || node.kind === 'resource' ? NODE_HEIGHT / 2 : 6;
    out.push(`<g class="node node-${node.kind}" id="${node.id}"${identifier}${changed}>`);
    out.push(
      `<rect x="${node.x}" y="${node.y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" ` +
        `rx="${rx}" fill="${style.fill}" stroke="${style.stroke}" stroke-width="1.5"/>`,
    );
    const cx = node.x + NODE_WIDTH / 2;
    if (node.subtitle) {
      out.push(
        `<text x="${cx}" y="${node.y + 19}" text-anchor="middle" font-weight="bold">` +
          `${xmlText(clip(node.title))}</text>`,
        `<text x="${cx}" y="${node.y + 36}" text-anchor="middle">` +
          `${xmlText(clip(node.subtitle))}</text>`,
      );
    } else {
      out.push(
        `<text x="${cx}" y="${node.y + 28}" text-anchor="middle" font-weight="bold">` +
          `${xmlText(clip(node.title))}</text>`,
      );
    }
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
