/**
 * `validate ENV`: what a push of the branch would stop on, found offline (for CI and before a
 * review): tokens that resolve to nothing in the environment's mapping, and files a create or
 * update call would reject. A token naming a resource the branch itself defines resolves, because
 * the push creates that resource first.
 */
import {
  FLOW_LANGUAGE_VERSION,
  MAX_ACTIONS,
  MAX_IDENTIFIER,
  isValidIdentifier,
} from './flow-language';
import {
  RESOURCE_FOLDERS,
  compare,
  folderOfKind,
  INTEGRATIONS_FILE,
  integrationRefs,
  isObject,
  mappingEntry,
  parseJsonObject,
  resourceKey,
  splitResourcePath,
  type EnvFiles,
} from './env-files';
import { fileNamesFor } from './filenames';
import type { Mapping } from './mapping';
import { childPath, hasBrokenToken, scanTokens, walkStrings, type TokenRef } from './token-refs';

export interface ValidationIssue {
  severity: 'error' | 'warning';
  /** Stable code a script can match on. */
  code: string;
  file: string;
  /** JSON path inside the file. */
  path?: string;
  /** The token as written, for reference issues. */
  token?: string;
  /** The flow block holding the value, for content issues. */
  block?: string;
  message: string;
}

export interface ValidationReport {
  issues: ValidationIssue[];
  errors: number;
  warnings: number;
}

export interface ValidateOptions {
  /** `overrides.lambda[portable][env]` for this environment: those names resolve by override. */
  lambdaOverrides?: Readonly<Record<string, string>>;
}

/** Token kinds and the forms each can take. */
const TOKEN_FORMS: Record<string, readonly string[]> = {
  flow: ['arn', 'id'],
  module: ['arn', 'id'],
  queue: ['arn', 'id'],
  'agent-queue': ['arn', 'id'],
  agent: ['arn', 'id'],
  hours: ['arn', 'id'],
  prompt: ['arn', 'id'],
  'routing-profile': ['arn', 'id'],
  'quick-connect': ['arn', 'id'],
  'security-profile': ['arn', 'id'],
  'phone-number': ['arn', 'id'],
  lambda: ['arn'],
  'lex-v2-alias': ['arn'],
  'lex-bot': ['name'],
};

const FLOW_TYPES = new Set([
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
]);

/** Fields each create call requires (CreateContactFlow, CreateQueue, ...), by file kind. */
const REQUIRED: Record<string, readonly string[]> = {
  flow: ['Name', 'Type', 'Content'],
  module: ['Name', 'Content'],
  queue: ['Name', 'HoursOfOperation'],
  'routing-profile': ['Name', 'Description', 'DefaultOutboundQueue', 'MediaConcurrencies'],
  hours: ['Name', 'TimeZone', 'Config'],
  prompt: ['Name'],
};

export function validateReferences(
  files: EnvFiles,
  mapping: Mapping | undefined,
  options: ValidateOptions = {},
): ValidationReport {
  const issues: ValidationIssue[] = [];
  const parsed = new Map<string, { folder: string; file: string; json: Record<string, unknown> }>();
  const defined = new Set<string>();

  for (const path of [...files.keys()].sort(compare)) {
    const split = splitResourcePath(path);
    if (!split) continue;
    const json = parseJsonObject(files.get(path) as string);
    if (!json) {
      issues.push(error('invalid-json', path, 'is not a JSON object; fix or restore the file.'));
      continue;
    }
    parsed.set(path, { ...split, json });
    if (typeof json.Name === 'string') defined.add(resourceKey(split.folder, json.Name));
  }

  checkFileNames(parsed, issues);
  for (const [path, { folder, json }] of parsed) {
    const kind = RESOURCE_FOLDERS[folder as keyof typeof RESOURCE_FOLDERS];
    checkRequired(path, kind, json, issues);
    if (kind === 'flow' || kind === 'module') {
      for (const field of ['Content', 'Draft']) {
        if (json[field] !== undefined) checkContent(path, field, json[field], issues);
      }
    }
    checkTokens(path, json, mapping, defined, options, issues);
  }

  for (const ref of integrationRefs(files.get(INTEGRATIONS_FILE))) {
    const known =
      mappingEntry(mapping, ref.kind, ref.name) !== undefined ||
      (ref.kind === 'lambda' && options.lambdaOverrides?.[ref.name] !== undefined);
    if (!known) {
      const env = mapping ? `environment ${mapping.environment}` : 'the environment';
      issues.push(
        error(
          'unresolved-integration',
          INTEGRATIONS_FILE,
          `${ref.kind} "${ref.name}" is to be associated but does not exist in ${env}` +
            hint(ref.kind),
          { path: ref.path },
        ),
      );
    }
  }

  checkPromptsByName(parsed, mapping, issues);
  issues.sort((x, y) => compare(x.file, y.file) || compare(x.path ?? '', y.path ?? ''));
  const errors = issues.filter((i) => i.severity === 'error').length;
  return { issues, errors, warnings: issues.length - errors };
}

/**
 * A prompt can be named in plain text (an attribute a later block plays from). Tokens only rewrite
 * ARNs and ids, so such a name is copied as is and must exist in the target: push never uploads
 * prompts. A warning, not an error: the text may mean something else.
 */
function checkPromptsByName(
  parsed: ReadonlyMap<string, { folder: string; json: Record<string, unknown> }>,
  mapping: Mapping | undefined,
  issues: ValidationIssue[],
): void {
  if (!mapping) return;
  const missing = new Set<string>();
  for (const { folder, json } of parsed.values()) {
    const name = json.Name;
    if (folder !== 'prompts' || typeof name !== 'string' || name === '') continue;
    if (!mapping.resources.prompt?.[name]) missing.add(name);
  }
  if (missing.size === 0) return;
  const env = `environment ${mapping.environment}`;
  for (const [path, { folder, json }] of parsed) {
    if (RESOURCE_FOLDERS[folder] !== 'flow' && RESOURCE_FOLDERS[folder] !== 'module') continue;
    for (const field of ['Content', 'Draft']) {
      const content = json[field];
      if (!isObject(content)) continue;
      walkStrings(
        content.Actions,
        (text, where) => {
          if (!missing.has(text)) return;
          issues.push({
            severity: 'warning',
            code: 'prompt-by-name',
            file: path,
            path: where(),
            message:
              `prompt "${text}" is named in the content but does not exist in ${env}` +
              hint('prompt'),
          });
        },
        `${field}.Actions`,
      );
    }
  }
}

function error(code: string, file: string, message: string, extra: Partial<ValidationIssue> = {}) {
  return { severity: 'error' as const, code, file, message, ...extra };
}

function checkFileNames(
  parsed: ReadonlyMap<string, { folder: string; file: string; json: Record<string, unknown> }>,
  issues: ValidationIssue[],
): void {
  const byFolder = new Map<string, { path: string; file: string; name: string }[]>();
  for (const [path, { folder, file, json }] of parsed) {
    if (typeof json.Name !== 'string' || json.Name === '') continue;
    const list = byFolder.get(folder) ?? [];
    list.push({ path, file, name: json.Name });
    byFolder.set(folder, list);
  }
  for (const [folder, list] of byFolder) {
    const seen = new Map<string, string>();
    for (const { path, name } of list) {
      const first = seen.get(name);
      if (first !== undefined) {
        issues.push(
          error(
            'duplicate-name',
            path,
            `has the same Name "${name}" as ${first}; names are unique per type.`,
            {
              path: '$.Name',
            },
          ),
        );
      } else seen.set(name, path);
    }
    const names = fileNamesFor([...seen.keys()]);
    for (const { path, file, name } of list) {
      const expected = names.get(name);
      if (seen.get(name) === path && expected !== file) {
        issues.push(
          error(
            'file-name-mismatch',
            path,
            `holds Name "${name}", whose file is ${folder}/${expected}: ` +
              'rename the file or fix Name.',
            { path: '$.Name' },
          ),
        );
      }
    }
  }
}

function checkRequired(
  path: string,
  kind: string,
  json: Record<string, unknown>,
  issues: ValidationIssue[],
): void {
  for (const field of REQUIRED[kind] ?? []) {
    const value = json[field];
    const empty =
      value === undefined ||
      value === null ||
      value === '' ||
      (field === 'MediaConcurrencies' && Array.isArray(value) && value.length === 0);
    if (empty) {
      issues.push(
        error('missing-field', path, `has no ${field}, which Connect requires for a ${kind}.`, {
          path: childPath('$', field),
        }),
      );
    }
  }
  if (kind === 'flow' && typeof json.Type === 'string' && !FLOW_TYPES.has(json.Type)) {
    issues.push(
      error('invalid-flow-type', path, `has Type "${json.Type}", which is not a flow type.`, {
        path: '$.Type',
      }),
    );
  }
}

/** Flow Language checks Connect applies when content is published. */
function checkContent(
  path: string,
  field: string,
  content: unknown,
  issues: ValidationIssue[],
): void {
  const at = childPath('$', field);
  if (!isObject(content)) {
    issues.push(
      error('invalid-content', path, `${field} is not a flow (JSON object).`, { path: at }),
    );
    return;
  }
  if (content.Version !== FLOW_LANGUAGE_VERSION) {
    issues.push(
      error('invalid-content', path, `${field}.Version must be "${FLOW_LANGUAGE_VERSION}".`, {
        path: `${at}.Version`,
      }),
    );
  }
  const actions = Array.isArray(content.Actions) ? content.Actions : undefined;
  if (!actions) {
    issues.push(
      error('invalid-content', path, `${field}.Actions is not a list.`, { path: `${at}.Actions` }),
    );
    return;
  }
  if (actions.length > MAX_ACTIONS) {
    issues.push(
      error(
        'too-many-actions',
        path,
        `${field} has ${actions.length} blocks; Connect allows ${MAX_ACTIONS}.`,
        {
          path: `${at}.Actions`,
        },
      ),
    );
  }

  const ids = new Set<string>();
  actions.forEach((action, i) => {
    const ap = `${at}.Actions[${i}]`;
    if (!isObject(action) || typeof action.Identifier !== 'string' || action.Identifier === '') {
      issues.push(error('invalid-content', path, 'block has no Identifier.', { path: ap }));
      return;
    }
    if (ids.has(action.Identifier)) {
      issues.push(
        error('duplicate-identifier', path, `two blocks have Identifier "${action.Identifier}".`, {
          path: `${ap}.Identifier`,
          block: action.Identifier,
        }),
      );
    }
    ids.add(action.Identifier);
    if (!isValidIdentifier(action.Identifier)) {
      issues.push(
        error(
          'invalid-identifier',
          path,
          `block Identifier "${action.Identifier}" is longer than ${MAX_IDENTIFIER} characters, ` +
            'contains one of % : ( \\ / ) = $ , ; [ ] { }, or is a reserved word.',
          { path: `${ap}.Identifier`, block: action.Identifier },
        ),
      );
    }
    if (typeof action.Type !== 'string' || action.Type === '') {
      issues.push(
        error('invalid-content', path, 'block has no Type.', {
          path: `${ap}.Type`,
          block: action.Identifier,
        }),
      );
    }
  });

  if (typeof content.StartAction !== 'string' || !ids.has(content.StartAction)) {
    issues.push(
      error(
        'invalid-start-action',
        path,
        `${field}.StartAction ${JSON.stringify(content.StartAction)} names no block of the flow.`,
        { path: `${at}.StartAction` },
      ),
    );
  }
  actions.forEach((action, i) => {
    if (!isObject(action) || !isObject(action.Transitions)) return;
    const block = typeof action.Identifier === 'string' ? action.Identifier : undefined;
    forEachNextAction(action.Transitions, `${at}.Actions[${i}].Transitions`, (next, np) => {
      // The designer writes "" for a branch left unconnected (seen in console exports).
      if (next !== '' && !ids.has(next)) {
        issues.push(
          error('invalid-next-action', path, `NextAction "${next}" names no block of the flow.`, {
            path: np,
            block,
          }),
        );
      }
    });
  });
}

function forEachNextAction(
  value: unknown,
  path: string,
  visit: (next: string, path: string) => void,
): void {
  if (Array.isArray(value)) value.forEach((v, i) => forEachNextAction(v, `${path}[${i}]`, visit));
  else if (isObject(value)) {
    for (const key of Object.keys(value)) {
      const child = childPath(path, key);
      if (key === 'NextAction' && typeof value[key] === 'string')
        visit(value[key] as string, child);
      else forEachNextAction(value[key], child, visit);
    }
  }
}

function checkTokens(
  path: string,
  json: Record<string, unknown>,
  mapping: Mapping | undefined,
  defined: ReadonlySet<string>,
  options: ValidateOptions,
  issues: ValidationIssue[],
): void {
  const blockAt = blockLocator(json);
  walkStrings(json, (text, at) => {
    if (!text.includes('{{cc:')) return;
    for (const ref of scanTokens(text)) {
      const problem = tokenProblem(ref, mapping, defined, options);
      if (!problem) continue;
      const block = blockAt(at());
      issues.push(
        error(problem.code, path, problem.message, {
          path: at(),
          token: ref.raw,
          ...(block ? { block } : {}),
        }),
      );
    }
    if (hasBrokenToken(text)) {
      issues.push(
        error('malformed-token', path, 'has "{{cc:" that does not start a complete token.', {
          path: at(),
        }),
      );
    }
  });
}

/** The Identifier of the block a JSON path points into, for `$.Content.Actions[3]...` paths. */
function blockLocator(json: Record<string, unknown>): (path: string) => string | undefined {
  return (path) => {
    const m = /^\$\.(Content|Draft)\.Actions\[(\d+)\]/.exec(path);
    if (!m) return undefined;
    const content = json[m[1]];
    const actions = isObject(content) && Array.isArray(content.Actions) ? content.Actions : [];
    const action: unknown = actions[Number(m[2])];
    return isObject(action) && typeof action.Identifier === 'string'
      ? action.Identifier
      : undefined;
  };
}

function tokenProblem(
  ref: TokenRef,
  mapping: Mapping | undefined,
  defined: ReadonlySet<string>,
  options: ValidateOptions,
): { code: string; message: string } | undefined {
  switch (ref.type) {
    case 'open':
      return undefined;
    case 'malformed':
      return { code: 'malformed-token', message: `${ref.raw} is not a valid token.` };
    case 'region':
    case 'account':
    case 'instance':
      return mapping
        ? undefined
        : {
            code: 'no-mapping',
            message: `${ref.raw}: the branch has no mapping.json (run pull first).`,
          };
  }
  const forms = TOKEN_FORMS[ref.kind];
  if (!forms)
    return { code: 'unknown-kind', message: `${ref.raw} names an unknown kind "${ref.kind}".` };
  if (!forms.includes(ref.form)) {
    return {
      code: 'malformed-token',
      message: `${ref.raw}: a ${ref.kind} has no ${ref.form} form.`,
    };
  }
  const entry = mappingEntry(mapping, ref.kind, ref.name);
  if (entry) {
    const value = ref.form === 'arn' ? entry.arn : ref.form === 'id' ? entry.id : entry.name;
    if (value) return undefined;
    return {
      code: 'unresolved-reference',
      message: `${ref.kind} "${ref.name}" is in the mapping without an ${ref.form}.`,
    };
  }
  // Push creates what the branch defines, except prompts: their audio is not copied, so a
  // prompt file copied from another environment does not make the prompt exist here.
  const folder = ref.kind === 'prompt' ? undefined : folderOfKind(ref.kind);
  if (folder && defined.has(resourceKey(folder, ref.name))) return undefined;
  if (ref.kind === 'lambda' && options.lambdaOverrides?.[ref.name] !== undefined) return undefined;
  const env = mapping ? `environment ${mapping.environment}` : 'the environment (no mapping.json)';
  return {
    code: 'unresolved-reference',
    message: `${ref.kind} "${ref.name}" does not exist in ${env}${hint(ref.kind)}`,
  };
}

function hint(kind: string): string {
  if (kind === 'lambda') return ': deploy and associate the function there, or add an override.';
  if (kind === 'lex-v2-alias' || kind === 'lex-bot') return ': deploy and associate the bot there.';
  if (kind === 'prompt') return ': upload the prompt there (audio is not copied) and pull.';
  if (folderOfKind(kind)) return ': copy it too, or create it there and pull.';
  return ': create it there and pull.';
}
