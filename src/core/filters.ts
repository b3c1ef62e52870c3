/**
 * Include and exclude patterns select resources by `<folder>/<name>`, e.g. `flows/Sales*` or
 * `queues/**`. The folder part is a glob over folder names; the name part matches the whole
 * resource name, in which `/` and a leading `.` are ordinary characters (a queue may be called
 * `a/b` or `..`), so path-glob rules about segments and dot files do not apply to it.
 */
import { braceExpand, minimatch } from 'minimatch';

export type ResourceFilter = (folder: string, name: string) => boolean;

export function resourceFilter(
  include: readonly string[],
  exclude: readonly string[],
): ResourceFilter {
  const includes = (include.length > 0 ? include : ['**']).flatMap(compile);
  const excludes = exclude.flatMap(compile);
  return (folder, name) =>
    includes.some((m) => m(folder, name)) && !excludes.some((m) => m(folder, name));
}

type Matcher = (folder: string, name: string) => boolean;

function compile(pattern: string): Matcher[] {
  return braceExpand(pattern).map((expanded) => {
    if (expanded === '**' || expanded === '**/*') return () => true;
    const slash = expanded.indexOf('/');
    // A bare folder (`flows`) or folder glob selects every resource in it.
    if (slash < 0) return (folder) => minimatch(folder, expanded);
    const folderGlob = expanded.slice(0, slash);
    const name = nameRegExp(expanded.slice(slash + 1));
    return (folder, resource) => minimatch(folder, folderGlob) && name.test(resource);
  });
}

/** `*` and `**` match any run of characters, `?` one, `[...]` a class; the rest is literal. */
function nameRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      while (glob[i + 1] === '*') i++;
      source += '.*';
    } else if (c === '?') {
      source += '.';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) source += '\\[';
      else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      source += escape(glob[++i]);
    } else {
      source += escape(c);
    }
  }
  return new RegExp(`^${source}$`, 'su');
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
