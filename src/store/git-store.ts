/**
 * The snapshot repository, through isomorphic-git. Commits are built from blobs and trees written
 * directly, so pulling or copying into `env/<name>` never touches the user's working tree, index
 * or HEAD, except to keep a checkout of that same branch equal to its new commit.
 */
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { deflate as deflateCallback } from 'node:zlib';
import * as git from 'isomorphic-git';
import { ConnectCopyError, ExitCode } from '../errors';
import { CONFIG_FILE, Config, formatConfig, parseConfig } from '../core/config';

export interface Identity {
  name: string;
  email: string;
}

export const DEFAULT_IDENTITY: Identity = {
  name: 'connect-copy',
  email: 'connect-copy@localhost',
};

export const MAIN_BRANCH = 'main';

/** Where connect-copy keeps its notes; push them with `git push origin refs/notes/*`. */
export const NOTES_REF = 'refs/notes/connect-copy';

export interface CommitFilesOptions {
  /**
   * `replace` (default): the commit holds exactly `files`. `keep`: files of the parent that are
   * not given stay as they are (copy adds to an environment, it never removes from it).
   */
  base?: 'replace' | 'keep';
  /** With `keep`: paths to drop from the parent's tree. */
  remove?: Iterable<string>;
  /** The commit to build on (branch name or sha); the branch head by default. */
  parent?: string;
  author?: Identity;
  committer?: Identity;
  /** The commit time; now by default. Author and committer share it. */
  date?: Date;
}

export type TreeChangeKind = 'added' | 'removed' | 'modified';

export interface TreeChange {
  path: string;
  kind: TreeChangeKind;
}

export interface LogEntry {
  sha: string;
  message: string;
  parents: string[];
  author: Identity & { date: Date };
  committer: Identity & { date: Date };
}

interface BlobEntry {
  oid: string;
  mode: string;
}

const FILE_MODE = '100644';
const TREE_MODE = '040000';
const SHA = /^[0-9a-f]{40}$/;
const SHORT_SHA = /^[0-9a-f]{4,39}$/;

/** A connect-copy snapshot repository on the local file system. */
export class SnapshotStore {
  /** isomorphic-git's object cache: packfile indexes are parsed once per store, not per read. */
  private readonly cache = {};

  constructor(
    readonly dir: string,
    readonly gitdir: string = path.join(dir, '.git'),
  ) {}

  /** Creates a repository in `dir` (created if missing) whose default branch is `main`. */
  static async init(dir: string): Promise<SnapshotStore> {
    const resolved = path.resolve(dir);
    try {
      await fs.promises.mkdir(resolved, { recursive: true });
    } catch (error) {
      throw new ConnectCopyError(
        'CANNOT_CREATE_DIRECTORY',
        `Cannot create the repository folder ${resolved}: ` +
          `${(error as NodeJS.ErrnoException).code}` +
          ' (a file in the way, or a parent that is not a folder).',
        {
          exitCode: ExitCode.usage,
          data: { dir: resolved },
          suggestions: ['connect-copy init NEW_FOLDER'],
        },
      );
    }
    await git.init({ fs, dir: resolved, defaultBranch: MAIN_BRANCH });
    return new SnapshotStore(resolved);
  }

  /** The repository containing `dir` (searching upwards, like git does). */
  static async open(dir: string): Promise<SnapshotStore> {
    const resolved = path.resolve(dir);
    try {
      const root = await git.findRoot({ fs, filepath: resolved });
      return new SnapshotStore(root);
    } catch (error) {
      if (isGitError(error, 'NotFoundError')) throw notARepository(resolved);
      throw translate(error);
    }
  }

  // ---- configuration on main ------------------------------------------------------------------

  /** The configuration committed on `main` (uncommitted edits to the file are not seen). */
  async readConfig(): Promise<Config> {
    const file = `${CONFIG_FILE} (branch ${MAIN_BRANCH})`;
    const head = await this.localOrTrackingHead(MAIN_BRANCH);
    const text = head === undefined ? undefined : await this.readFile(head, CONFIG_FILE);
    if (text === undefined) {
      throw new ConnectCopyError(
        'CONFIG_NOT_FOUND',
        `${this.dir} has no ${CONFIG_FILE} on branch ${MAIN_BRANCH}: it is not a connect-copy ` +
          'snapshot repository.',
        {
          exitCode: ExitCode.repositoryState,
          data: { dir: this.dir },
          suggestions: ['connect-copy init', 'cd into your snapshot repository'],
        },
      );
    }
    return parseConfig(text, file);
  }

  /**
   * Commits the configuration on `main`; other files there are kept. Returns the new commit, or
   * undefined when the configuration is unchanged.
   */
  async writeConfig(
    config: Config,
    message: string,
    options: Pick<CommitFilesOptions, 'author' | 'committer' | 'date'> = {},
  ): Promise<string | undefined> {
    const files = new Map([[CONFIG_FILE, formatConfig(config)]]);
    return this.commitFiles(MAIN_BRANCH, files, message, { ...options, base: 'keep' });
  }

  /**
   * Whether `main` is checked out with uncommitted edits to the configuration, which commands
   * do not see (they read the committed file) and should warn about.
   */
  async hasUncommittedConfigEdits(): Promise<boolean> {
    if ((await this.checkedOutBranch()) !== MAIN_BRANCH) return false;
    return this.hasUncommittedChanges([CONFIG_FILE]);
  }

  // ---- refs ---------------------------------------------------------------------------------

  /** Whether the branch exists locally, or as the one remote-tracking branch of that name. */
  async branchExists(name: string): Promise<boolean> {
    return (await this.localOrTrackingHead(name)) !== undefined;
  }

  /**
   * The commit sha a branch name, full ref or (abbreviated) sha points at, followed as git does by
   * `~N` (N first parents back) and `^N` (the Nth parent), so `env/prod~1` is the commit before.
   */
  async resolveRef(ref: string): Promise<string> {
    const [, base, steps] = /^(.*?)((?:[~^]\d*)*)$/.exec(ref)!;
    if (steps === '' || base === '') return this.resolveName(ref);
    let oid = await this.resolveName(base);
    for (const [, kind, count] of steps.matchAll(/([~^])(\d*)/g)) {
      const n = count === '' ? 1 : Number(count);
      // `~N` walks N first parents; `^N` takes the Nth parent (`^0` is the commit itself).
      const [times, index] = kind === '~' ? [n, 0] : [Math.min(n, 1), n - 1];
      for (let i = 0; i < times; i++) {
        const parent = (await this.readCommit(oid)).parent[index];
        if (parent === undefined) throw this.noSuchAncestor(ref, oid);
        oid = parent;
      }
    }
    return oid;
  }

  private async resolveName(ref: string): Promise<string> {
    const head = await this.localOrTrackingHead(ref);
    if (head !== undefined) return head;
    try {
      if (SHA.test(ref)) {
        await git.readCommit({ fs, gitdir: this.gitdir, oid: ref, cache: this.cache });
        return ref;
      }
      if (SHORT_SHA.test(ref)) {
        const oid = await git.expandOid({ fs, gitdir: this.gitdir, oid: ref, cache: this.cache });
        await git.readCommit({ fs, gitdir: this.gitdir, oid, cache: this.cache });
        return oid;
      }
      if (!isSafeRefName(ref)) throw this.refNotFound(ref);
      return await git.resolveRef({ fs, gitdir: this.gitdir, ref });
    } catch (error) {
      if (isGitError(error, 'NotFoundError') || isGitError(error, 'ObjectTypeError')) {
        throw this.refNotFound(ref);
      }
      throw translate(error);
    }
  }

  /** The branch HEAD points at, or undefined when HEAD is detached. */
  async checkedOutBranch(): Promise<string | undefined> {
    try {
      const branch = await git.currentBranch({ fs, dir: this.dir, gitdir: this.gitdir });
      return branch ?? undefined;
    } catch (error) {
      throw translate(error);
    }
  }

  /**
   * Points HEAD at `branch` when HEAD names a branch with no commit yet (a fresh `git init` or an
   * empty clone, whose default branch may be `master`), so the next commit on `branch` also
   * appears in the working tree. A HEAD with history is left alone.
   */
  async adoptUnbornHead(branch: string): Promise<void> {
    const current = await this.checkedOutBranch();
    if (current === undefined || current === branch || (await this.branchExists(current))) return;
    await this.guard(() =>
      git.writeRef({
        fs,
        gitdir: this.gitdir,
        ref: 'HEAD',
        value: `refs/heads/${branch}`,
        symbolic: true,
        force: true,
      }),
    );
  }

  // ---- reading --------------------------------------------------------------------------------

  /** Every file of a commit, by path, as UTF-8 text. */
  async readBranchFiles(ref: string): Promise<Map<string, string>> {
    const commit = await this.resolveRef(ref);
    const blobs = await this.listBlobs(await this.treeOf(commit));
    const paths = [...blobs.keys()].sort();
    const texts = await mapLimit(paths, (p) => this.readBlobText(blobs.get(p)!.oid));
    return new Map(paths.map((p, i) => [p, texts[i]]));
  }

  /** One file of a commit, or undefined when the commit has no such file. */
  async readFile(ref: string, filepath: string): Promise<string | undefined> {
    const commit = await this.resolveRef(ref);
    try {
      const { blob } = await git.readBlob({
        fs,
        gitdir: this.gitdir,
        oid: commit,
        filepath,
        cache: this.cache,
      });
      return Buffer.from(blob).toString('utf8');
    } catch (error) {
      if (isGitError(error, 'NotFoundError')) return undefined;
      throw translate(error);
    }
  }

  /** The newest `depth` commits of a branch, newest first. */
  async log(branch: string, depth?: number): Promise<LogEntry[]> {
    const head = await this.resolveRef(branch);
    try {
      const entries = await git.log({
        fs,
        gitdir: this.gitdir,
        ref: head,
        depth,
        cache: this.cache,
      });
      return entries.map(({ oid, commit }) => ({
        sha: oid,
        message: commit.message,
        parents: commit.parent,
        author: toPerson(commit.author),
        committer: toPerson(commit.committer),
      }));
    } catch (error) {
      throw translate(error);
    }
  }

  /**
   * Notes hold what must travel with a commit without showing in its diff: the fingerprints of
   * what a pull read (or a push wrote), so a one-field change in Connect is a one-file diff.
   */
  async writeNote(commit: string, text: string, date = new Date()): Promise<void> {
    try {
      await git.addNote({
        fs,
        gitdir: this.gitdir,
        ref: NOTES_REF,
        oid: commit,
        note: text,
        force: true,
        author: signature(DEFAULT_IDENTITY, date),
        cache: this.cache,
      });
    } catch (error) {
      throw translate(error);
    }
  }

  async readNote(commit: string): Promise<string | undefined> {
    try {
      const note = await git.readNote({ fs, gitdir: this.gitdir, ref: NOTES_REF, oid: commit });
      return Buffer.from(note).toString('utf8');
    } catch (error) {
      if (isGitError(error, 'NotFoundError')) return undefined;
      throw translate(error);
    }
  }

  /** The newest commit of `branch` that carries a note, and the note. */
  async lastNote(branch: string): Promise<{ commit: string; text: string } | undefined> {
    for (const entry of await this.log(branch)) {
      const text = await this.readNote(entry.sha);
      if (text !== undefined) return { commit: entry.sha, text };
    }
    return undefined;
  }

  /**
   * The files that differ between two commits, sorted by path. Subtrees with equal ids are
   * skipped without being read, which keeps diffs of large, mostly equal snapshots fast.
   */
  async diffTrees(refA: string, refB: string): Promise<TreeChange[]> {
    const [treeA, treeB] = await Promise.all([
      this.resolveRef(refA).then((c) => this.treeOf(c)),
      this.resolveRef(refB).then((c) => this.treeOf(c)),
    ]);
    const changes: TreeChange[] = [];
    await this.diffTree(treeA, treeB, '', changes);
    return changes.sort((a, b) => compareStrings(a.path, b.path));
  }

  // ---- working tree -------------------------------------------------------------------------

  /**
   * Whether tracked files differ from HEAD (in the working tree or the index). An untracked file
   * counts only when it is named in `paths`, because only then would a commit overwrite it.
   */
  async hasUncommittedChanges(paths?: string[]): Promise<boolean> {
    return (await this.uncommittedPaths(paths)).length > 0;
  }

  /** The paths `hasUncommittedChanges` reports, sorted. */
  async uncommittedPaths(paths?: string[]): Promise<string[]> {
    if (paths !== undefined && paths.length === 0) return [];
    try {
      const rows = await git.statusMatrix({
        fs,
        dir: this.dir,
        gitdir: this.gitdir,
        filepaths: paths,
        cache: this.cache,
      });
      const named = paths === undefined ? undefined : new Set(paths);
      return rows
        .filter(([filepath, head, workdir, stage]) => {
          if (head === 0 && stage === 0) return workdir !== 0 && named?.has(filepath) === true;
          return !(head === 1 && workdir === 1 && stage === 1);
        })
        .map(([filepath]) => filepath)
        .sort(compareStrings);
    } catch (error) {
      throw translate(error);
    }
  }

  // ---- writing ------------------------------------------------------------------------------

  /**
   * Commits `files` on `branch` (created as an orphan when absent) without touching the working
   * tree, index or HEAD. When `branch` is checked out, its changed files in the working tree are
   * updated to the commit, and the commit is refused if any of them has uncommitted edits.
   *
   * @returns the new commit sha, or undefined when the tree equals the parent's (no empty commit)
   */
  async commitFiles(
    branch: string,
    files: ReadonlyMap<string, string>,
    message: string,
    options: CommitFilesOptions = {},
  ): Promise<string | undefined> {
    const date = options.date ?? new Date();
    if (!isSafeRefName(branch) || branch.startsWith('refs/')) {
      throw new ConnectCopyError('INVALID_BRANCH', `"${branch}" is not a valid branch name.`, {
        exitCode: ExitCode.internal,
        data: { branch },
      });
    }
    const head = await this.branchHead(branch);
    const parent =
      options.parent !== undefined
        ? await this.resolveRef(options.parent)
        : (head ?? (await this.trackingHead(branch)));
    const parentTree = parent === undefined ? undefined : await this.treeOf(parent);
    const parentBlobs =
      parentTree === undefined ? new Map<string, BlobEntry>() : await this.listBlobs(parentTree);

    const next = options.base === 'keep' ? new Map(parentBlobs) : new Map<string, BlobEntry>();
    for (const removed of options.remove ?? []) next.delete(checkPath(removed));
    await mapLimit([...files], async ([filepath, text]) => {
      next.set(checkPath(filepath), await this.storeBlob(text, parentBlobs.get(filepath)));
    });
    // Every path holding the parent's own blob: the trees would come out as the parent's.
    const unchanged =
      parentTree !== undefined &&
      next.size === parentBlobs.size &&
      [...next].every(([filepath, entry]) => parentBlobs.get(filepath) === entry);
    if (unchanged) return undefined;
    const tree = await this.writeTrees(next);
    if (tree === (parentTree ?? EMPTY_TREE)) return undefined;

    // The checkout shows the branch head, which is not the parent when one is given.
    const checkedOut = (await this.checkedOutBranch()) === branch;
    let changed: string[] = [];
    if (checkedOut) {
      const headBlobs =
        head === parent
          ? parentBlobs
          : head === undefined
            ? new Map<string, BlobEntry>()
            : await this.listBlobs(await this.treeOf(head));
      changed = changedPaths(headBlobs, next);
      await this.refuseUncommitted(branch, changed);
    }

    const author = signature(options.author ?? DEFAULT_IDENTITY, date);
    const committer = signature(options.committer ?? options.author ?? DEFAULT_IDENTITY, date);
    const sha = await this.guard(() =>
      git.writeCommit({
        fs,
        gitdir: this.gitdir,
        commit: {
          tree,
          parent: parent === undefined ? [] : [parent],
          author,
          committer,
          message: message.endsWith('\n') ? message : message + '\n',
        },
      }),
    );

    // Another process moving the branch meanwhile would silently lose its commit.
    if ((await this.branchHead(branch)) !== head) {
      throw new ConnectCopyError(
        'BRANCH_MOVED',
        `Branch ${branch} changed while connect-copy was writing to it; nothing was committed.`,
        { exitCode: ExitCode.repositoryState, data: { branch }, suggestions: ['Run it again'] },
      );
    }
    await this.guard(() =>
      git.writeRef({
        fs,
        gitdir: this.gitdir,
        ref: `refs/heads/${branch}`,
        value: sha,
        force: true,
      }),
    );

    if (changed.length > 0) {
      await this.guard(() =>
        git.checkout({
          fs,
          dir: this.dir,
          gitdir: this.gitdir,
          ref: branch,
          filepaths: changed,
          force: true,
          noUpdateHead: true,
          cache: this.cache,
        }),
      );
      await removeEmptyDirectories(this.dir, changed);
    }
    return sha;
  }

  // ---- internals ----------------------------------------------------------------------------

  /**
   * In a fresh clone only `main` is a local branch; env/prod exists as origin/env/prod. Reading
   * it, and committing on top of it, keeps the history continuous so the user's next `git push`
   * is a fast-forward. Several remotes with different heads are ambiguous: none is used.
   */
  private async trackingHead(branch: string): Promise<string | undefined> {
    if (branch.startsWith('refs/') || !isSafeRefName(branch)) return undefined;
    const remotes = await this.guard(() => git.listRemotes({ fs, gitdir: this.gitdir }));
    const heads = await Promise.all(
      remotes.map(({ remote }) => this.branchHead(`refs/remotes/${remote}/${branch}`)),
    );
    const found = new Set(heads.filter((head) => head !== undefined));
    return found.size === 1 ? [...found][0] : undefined;
  }

  private async localOrTrackingHead(name: string): Promise<string | undefined> {
    return (await this.branchHead(name)) ?? (await this.trackingHead(name));
  }

  /** The head commit of a local branch, or undefined when there is no such branch. */
  private async branchHead(name: string): Promise<string | undefined> {
    if (!isSafeRefName(name)) return undefined;
    const ref = name.startsWith('refs/') ? name : `refs/heads/${name}`;
    try {
      return await git.resolveRef({ fs, gitdir: this.gitdir, ref });
    } catch (error) {
      if (isGitError(error, 'NotFoundError')) {
        await this.assertRepository();
        return undefined;
      }
      throw translate(error);
    }
  }

  private async assertRepository(): Promise<void> {
    try {
      await fs.promises.access(path.join(this.gitdir, 'HEAD'));
    } catch {
      throw notARepository(this.dir);
    }
  }

  private async treeOf(commit: string): Promise<string> {
    return (await this.readCommit(commit)).tree;
  }

  private async readCommit(oid: string): Promise<git.CommitObject> {
    return this.guard(async () => {
      const { commit } = await git.readCommit({ fs, gitdir: this.gitdir, oid, cache: this.cache });
      return commit;
    });
  }

  private async readTree(oid: string): Promise<git.TreeEntry[]> {
    return this.guard(async () => {
      const { tree } = await git.readTree({ fs, gitdir: this.gitdir, oid, cache: this.cache });
      return tree;
    });
  }

  /**
   * A blob's text. A blob id names its content, so every text read or written is kept
   * (`blobTexts`): a second read of mostly the same files (a rollback's, then its push's) costs
   * only the trees and the blobs not seen yet.
   */
  private async readBlobText(oid: string): Promise<string> {
    const known = blobTexts.get(oid);
    if (known !== undefined) return known;
    // Reads of one branch running side by side (a rollback's and its push's) read a blob once.
    const key = `${this.gitdir}\n${oid}`;
    const reading = blobsReading.get(key);
    if (reading) return reading;
    const read = this.guard(async () => {
      const { blob } = await git.readBlob({ fs, gitdir: this.gitdir, oid, cache: this.cache });
      const text = Buffer.from(blob).toString('utf8');
      blobTexts.set(oid, text);
      return text;
    }).finally(() => blobsReading.delete(key));
    blobsReading.set(key, read);
    return read;
  }

  /** Blob ids and modes of every file under a tree, by path; blobs themselves are not read. */
  private async listBlobs(tree: string, prefix = ''): Promise<Map<string, BlobEntry>> {
    const result = new Map<string, BlobEntry>();
    const entries = await this.readTree(tree);
    const subtrees = await Promise.all(
      entries.map(async (entry) => {
        const filepath = prefix + entry.path;
        if (entry.type === 'tree') return this.listBlobs(entry.oid, filepath + '/');
        if (entry.type === 'blob') result.set(filepath, { oid: entry.oid, mode: entry.mode });
        return undefined;
      }),
    );
    for (const subtree of subtrees) subtree?.forEach((value, key) => result.set(key, value));
    return result;
  }

  /** Writes a blob unless the parent already has exactly this content at the same path. */
  private async storeBlob(text: string, previous: BlobEntry | undefined): Promise<BlobEntry> {
    // The text the parent's blob is known to hold: the same blob, no hashing needed.
    if (previous !== undefined && blobTexts.get(previous.oid) === text) return previous;
    const content = Buffer.from(text, 'utf8');
    const object = Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]);
    const oid = createHash('sha1').update(object).digest('hex');
    blobTexts.set(oid, text);
    if (previous?.oid === oid) return previous;
    // Node's native zlib rather than isomorphic-git's JavaScript deflate: a first pull writes
    // thousands of blobs and this halves the time; the object format is the same.
    const deflated = await deflate(object);
    await this.guard(() =>
      git.writeObject({
        fs,
        gitdir: this.gitdir,
        type: 'blob',
        object: deflated,
        format: 'deflated',
        oid,
      }),
    );
    return { oid, mode: FILE_MODE };
  }

  /** Writes the trees for a flat path -> blob map and returns the root tree id. */
  private async writeTrees(blobs: Map<string, BlobEntry>): Promise<string> {
    interface Dir {
      files: git.TreeEntry[];
      dirs: Map<string, Dir>;
    }
    const root: Dir = { files: [], dirs: new Map() };
    for (const [filepath, blob] of blobs) {
      const parts = filepath.split('/');
      const name = parts.pop()!;
      let dir = root;
      for (const part of parts) {
        let child = dir.dirs.get(part);
        if (!child) dir.dirs.set(part, (child = { files: [], dirs: new Map() }));
        dir = child;
      }
      dir.files.push({ mode: blob.mode, path: name, oid: blob.oid, type: 'blob' });
    }

    const write = async (dir: Dir, where: string): Promise<string> => {
      const subtrees = await Promise.all(
        [...dir.dirs].map(async ([name, child]): Promise<git.TreeEntry> => {
          if (dir.files.some((file) => file.path === name)) {
            throw invalidPath(`${where}${name}`, 'is both a file and a folder');
          }
          const oid = await write(child, `${where}${name}/`);
          return { mode: TREE_MODE, path: name, oid, type: 'tree' };
        }),
      );
      const tree = [...dir.files, ...subtrees];
      return this.guard(() => git.writeTree({ fs, gitdir: this.gitdir, tree }));
    };
    return write(root, '');
  }

  private async diffTree(
    a: string | undefined,
    b: string | undefined,
    prefix: string,
    changes: TreeChange[],
  ): Promise<void> {
    if (a === b) return;
    const [entriesA, entriesB] = await Promise.all([
      a === undefined ? [] : this.readTree(a),
      b === undefined ? [] : this.readTree(b),
    ]);
    const byName = new Map<string, [git.TreeEntry?, git.TreeEntry?]>();
    for (const entry of entriesA) byName.set(entry.path, [entry, undefined]);
    for (const entry of entriesB) byName.set(entry.path, [byName.get(entry.path)?.[0], entry]);

    const nested: Promise<void>[] = [];
    for (const [name, [left, right]] of byName) {
      if (left?.oid === right?.oid && left?.type === right?.type) continue;
      const filepath = prefix + name;
      const leftTree = left?.type === 'tree' ? left.oid : undefined;
      const rightTree = right?.type === 'tree' ? right.oid : undefined;
      const leftBlob = left?.type === 'blob';
      const rightBlob = right?.type === 'blob';
      if (leftBlob && rightBlob) changes.push({ path: filepath, kind: 'modified' });
      else {
        if (leftBlob) changes.push({ path: filepath, kind: 'removed' });
        if (rightBlob) changes.push({ path: filepath, kind: 'added' });
        if (leftTree !== undefined || rightTree !== undefined) {
          nested.push(this.diffTree(leftTree, rightTree, filepath + '/', changes));
        }
      }
    }
    await Promise.all(nested);
  }

  private async refuseUncommitted(branch: string, changed: string[]): Promise<void> {
    const dirty = await this.uncommittedPaths(changed);
    if (dirty.length === 0) return;
    const shown = dirty.slice(0, 10).join(', ') + (dirty.length > 10 ? ', ...' : '');
    throw new ConnectCopyError(
      'UNCOMMITTED_CHANGES',
      `Branch ${branch} is checked out in ${this.dir} with uncommitted edits to files ` +
        `connect-copy would change (${shown}); nothing was committed.`,
      {
        exitCode: ExitCode.repositoryState,
        data: { branch, paths: dirty },
        suggestions: [
          'Commit or stash your edits (git commit / git stash), then run the command again',
          `Or check out another branch (git checkout ${MAIN_BRANCH})`,
        ],
      },
    );
  }

  private noSuchAncestor(ref: string, reached: string): ConnectCopyError {
    return new ConnectCopyError(
      'REF_NOT_FOUND',
      `"${ref}" goes back further than history: commit ${reached.slice(0, 12)} has no such ` +
        'parent.',
      {
        exitCode: ExitCode.repositoryState,
        data: { ref, reached },
        suggestions: ['git log --oneline'],
      },
    );
  }

  private refNotFound(ref: string): ConnectCopyError {
    const env = /^(?:refs\/heads\/)?env\/(.+)$/.exec(ref)?.[1];
    if (env !== undefined) {
      return new ConnectCopyError(
        'BRANCH_NOT_FOUND',
        `Branch env/${env} does not exist in ${this.dir}: environment "${env}" has not been ` +
          'pulled yet.',
        {
          exitCode: ExitCode.repositoryState,
          data: { ref, environment: env },
          suggestions: [`connect-copy pull ${env}`],
        },
      );
    }
    if (ref === MAIN_BRANCH || ref === `refs/heads/${MAIN_BRANCH}`) {
      return new ConnectCopyError(
        'BRANCH_NOT_FOUND',
        `Branch ${MAIN_BRANCH} does not exist in ${this.dir}: it is not a connect-copy ` +
          'snapshot repository yet.',
        { exitCode: ExitCode.repositoryState, data: { ref }, suggestions: ['connect-copy init'] },
      );
    }
    return new ConnectCopyError(
      'REF_NOT_FOUND',
      `"${ref}" is neither a branch nor a commit of ${this.dir}.`,
      {
        exitCode: ExitCode.repositoryState,
        data: { ref },
        suggestions: ['git branch --list', 'git log --oneline'],
      },
    );
  }

  /** Runs an isomorphic-git call, translating its errors. */
  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw translate(error);
    }
  }
}

const deflate = promisify(deflateCallback);
/**
 * Blob texts by id, shared by every store in the process: an id names its content, so an entry
 * is never stale. Emptied when it holds more than MAX_CACHED_CHARS, so a long process does not
 * keep every version of every file.
 */
class BlobTexts {
  private readonly texts = new Map<string, string>();
  private chars = 0;

  get(oid: string): string | undefined {
    return this.texts.get(oid);
  }

  set(oid: string, text: string): void {
    if (this.texts.has(oid)) return;
    if (this.chars + text.length > MAX_CACHED_CHARS) {
      this.texts.clear();
      this.chars = 0;
    }
    this.texts.set(oid, text);
    this.chars += text.length;
  }
}

const MAX_CACHED_CHARS = 64 * 1024 * 1024;
const blobTexts = new BlobTexts();
/** Blob reads in flight, by git directory and id. */
const blobsReading = new Map<string, Promise<string>>();

/** The id git gives a tree with no entries. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

function signature(identity: Identity, date: Date) {
  return {
    name: identity.name,
    email: identity.email,
    timestamp: Math.floor(date.getTime() / 1000),
    timezoneOffset: date.getTimezoneOffset(),
  };
}

function toPerson(person: git.CommitObject['author']): Identity & { date: Date } {
  return { name: person.name, email: person.email, date: new Date(person.timestamp * 1000) };
}

function changedPaths(before: Map<string, BlobEntry>, after: Map<string, BlobEntry>): string[] {
  const changed = new Set<string>();
  for (const [filepath, entry] of after) {
    const old = before.get(filepath);
    if (old?.oid !== entry.oid || old.mode !== entry.mode) changed.add(filepath);
  }
  for (const filepath of before.keys()) if (!after.has(filepath)) changed.add(filepath);
  return [...changed].sort(compareStrings);
}

/** Rejects paths that could escape the repository or are not plain relative file paths. */
function checkPath(filepath: string): string {
  const parts = filepath.split('/');
  const bad = parts.find(
    (part) => part === '' || part === '.' || part === '..' || part.toLowerCase() === '.git',
  );
  if (bad !== undefined || filepath.includes('\\') || filepath.includes('\0')) {
    throw invalidPath(filepath, 'is not a safe relative file path');
  }
  return filepath;
}

function invalidPath(filepath: string, why: string): ConnectCopyError {
  return new ConnectCopyError('INVALID_PATH', `Internal error: file path "${filepath}" ${why}.`, {
    exitCode: ExitCode.internal,
    data: { path: filepath },
  });
}

/** isomorphic-git's checkout deletes removed files but leaves their emptied folders behind. */
async function removeEmptyDirectories(dir: string, changed: string[]): Promise<void> {
  const folders = new Set<string>();
  for (const filepath of changed) {
    for (let parent = path.posix.dirname(filepath); parent !== '.';) {
      folders.add(parent);
      parent = path.posix.dirname(parent);
    }
  }
  const deepestFirst = [...folders].sort((a, b) => b.split('/').length - a.split('/').length);
  for (const folder of deepestFirst) {
    try {
      await fs.promises.rmdir(path.join(dir, folder));
    } catch {
      // Not empty, or already gone: either way there is nothing to clean.
    }
  }
}

/**
 * isomorphic-git reads refs as files under the git directory, so a name with `..` could read
 * outside refs/; these are also names git itself refuses.
 */
function isSafeRefName(name: string): boolean {
  const controlOrSpace = [...name].some((char) => char <= ' ' || char === '\u007f');
  return (
    name.length > 0 &&
    !controlOrSpace &&
    !/^[/-]|\.\.|\/\/|\/$|\.$|\.lock$|@\{|[~^:?*[\\]/.test(name) &&
    !name.split('/').some((part) => part.startsWith('.'))
  );
}

/** Runs `task` over `items` with bounded concurrency: thousands of parallel reads exhaust fds. */
async function mapLimit<T, R>(items: T[], task: (item: T) => Promise<R>, limit = 32): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function isGitError(error: unknown, code: string): boolean {
  return error instanceof Error && (error as Error & { code?: unknown }).code === code;
}

function notARepository(dir: string): ConnectCopyError {
  return new ConnectCopyError('NOT_A_REPOSITORY', `${dir} is not inside a git repository.`, {
    exitCode: ExitCode.repositoryState,
    data: { dir },
    suggestions: ['connect-copy init', 'cd into your snapshot repository'],
  });
}

/** Wraps an unexpected isomorphic-git failure; our own errors pass through unchanged. */
function translate(error: unknown): Error {
  if (error instanceof ConnectCopyError) return error;
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectCopyError(
    'GIT_ERROR',
    `The snapshot repository could not be read or written: ${message}`,
    {
      exitCode: ExitCode.repositoryState,
      data: { gitError: typeof code === 'string' ? code : undefined },
      suggestions: ['Check the repository with `git status` and `git fsck`'],
      cause: error,
    },
  );
}
