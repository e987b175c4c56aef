// The release step: a tree that the GitHub Action and pre-commit can use straight from git, with nothing to compile.
//
//   node scripts/release.mjs --out DIR   write the release tree to DIR (nothing committed)
//   node scripts/release.mjs --commit    commit the release tree of HEAD onto the branch `release`, tag it v<version>
//                                        and print the commit id (the `rev:` users pin); the working tree must be clean
//
// The release tree is the source tree plus dist/ built by scripts/build.mjs, with a package.json that has no
// devDependencies and no scripts, and a package-lock.json pruned to the runtime dependencies. So:
// - pre-commit's install (`npm install`, `npm pack`, a global install of the tarball) compiles nothing, runs no
//   lifecycle script and pulls only the runtime dependencies;
// - the composite action runs `npm ci --omit=dev` in its own checkout and then `bin/sg-lint.js`.
// The main branch keeps dist/ out of git (it is generated), so releases live on their own branch; each release commit
// has the source commit it was built from as a parent, so `git log v0.2.0` shows the history.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const git = (args, options = {}) => execFileSync('git', args, { cwd: root, encoding: 'utf8', ...options }).trim();

function usage(message) {
  process.stderr.write(`release: ${message}\nUsage: node scripts/release.mjs --out DIR | --commit\n`);
  process.exit(2);
}

/** Every file of the working tree that git would commit (tracked and untracked, minus ignored ones). */
function sourceFiles() {
  return git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'])
    .split('\0')
    .filter((f) => f !== '' && f !== 'node_modules' && existsSync(join(root, f)));
}

/** package.json of a release: no devDependencies and no scripts (so no lifecycle script can run on install or pack). */
export function releaseManifest(pkg) {
  const out = { ...pkg };
  delete out.devDependencies;
  delete out.scripts;
  return out;
}

/**
 * package-lock.json pruned to what `npm ci --omit=dev` installs: dev-only packages dropped, the root entry without
 * devDependencies. Packages that are optional for runtime and dev alike stay, marked optional.
 */
export function releaseLock(lock, manifest) {
  const packages = {};
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '') {
      const rootEntry = { ...entry };
      delete rootEntry.devDependencies;
      for (const field of ['dependencies', 'peerDependencies', 'peerDependenciesMeta', 'optionalDependencies']) {
        if (manifest[field] === undefined) delete rootEntry[field];
        else rootEntry[field] = manifest[field];
      }
      packages[key] = rootEntry;
      continue;
    }
    if (entry.dev) continue;
    if (entry.devOptional) {
      const kept = { ...entry, optional: true };
      delete kept.devOptional;
      packages[key] = kept;
      continue;
    }
    packages[key] = entry;
  }
  return { ...lock, packages };
}

/** Writes the release tree of the working tree to `dest` (which must not exist or be empty). */
export function writeReleaseTree(dest) {
  for (const file of sourceFiles()) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    copyFileSync(join(root, file), join(dest, file));
  }
  // Build with the checkout's dev tooling, linked in for the build only.
  symlinkSync(join(root, 'node_modules'), join(dest, 'node_modules'), 'dir');
  try {
    const r = spawnSync(process.execPath, [join(dest, 'scripts', 'build.mjs')], { cwd: dest, stdio: ['ignore', 2, 2] });
    if (r.status !== 0) throw new Error('the build failed');
  } finally {
    rmSync(join(dest, 'node_modules'));
  }
  const pkg = JSON.parse(readFileSync(join(dest, 'package.json'), 'utf8'));
  const manifest = releaseManifest(pkg);
  writeFileSync(join(dest, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const lock = JSON.parse(readFileSync(join(dest, 'package-lock.json'), 'utf8'));
  writeFileSync(join(dest, 'package-lock.json'), `${JSON.stringify(releaseLock(lock, manifest), null, 2)}\n`);
  return manifest.version;
}

/** Commits the release tree of HEAD onto `release` and tags it; returns the commit id. */
function commitRelease() {
  if (git(['status', '--porcelain']) !== '') usage('the working tree has changes: commit them first');
  const stage = mkdtempSync(join(tmpdir(), 'sg-lint-release-'));
  const index = join(stage, 'index');
  const tree = join(stage, 'tree');
  try {
    const version = writeReleaseTree(tree);
    const env = { ...process.env, GIT_DIR: git(['rev-parse', '--absolute-git-dir']), GIT_INDEX_FILE: index, GIT_WORK_TREE: tree };
    // -f: dist/ is ignored on main but belongs to a release.
    git(['add', '--all', '--force', '.'], { env, cwd: tree, input: '' });
    const treeId = git(['write-tree'], { env });
    const head = git(['rev-parse', 'HEAD']);
    const previous = spawnSync('git', ['rev-parse', '--verify', '--quiet', 'refs/heads/release'], { cwd: root, encoding: 'utf8' });
    const parents = previous.status === 0 ? ['-p', previous.stdout.trim(), '-p', head] : ['-p', head];
    const tag = `v${version}`;
    const existing = spawnSync('git', ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}`], { cwd: root, encoding: 'utf8' });
    if (existing.status === 0) usage(`tag ${tag} exists already: raise the version in package.json first`);
    const commit = git(['commit-tree', treeId, ...parents, '-m', `Release ${tag}\n\nBuilt from ${head} by scripts/release.mjs.`]);
    git(['update-ref', 'refs/heads/release', commit]);
    git(['tag', tag, commit]);
    return { commit, tag };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--out' && args[1] !== undefined && args.length === 2) {
    const dest = resolve(args[1]);
    writeReleaseTree(dest);
    process.stdout.write(`${dest}\n`);
  } else if (args[0] === '--commit' && args.length === 1) {
    const { commit, tag } = commitRelease();
    process.stdout.write(`${commit}\n`);
    process.stderr.write(`release: tagged ${tag}; push with: git push origin release ${tag}\n`);
  } else {
    usage('expected --out DIR or --commit');
  }
}
