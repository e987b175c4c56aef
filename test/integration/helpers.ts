// Helpers for the end-to-end tests: copy the working tree (committed or not) somewhere the test may build, pack and
// commit without touching the checkout other people work in, and run commands with their output captured.
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root. */
export const ROOT = join(__dirname, '..', '..');

/** Runs a command, never through a shell; returns status and output. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): SpawnSyncReturns<string> & { output: string } {
  const result = spawnSync(command, [...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return Object.assign(result, { output: `${result.stdout ?? ''}${result.stderr ?? ''}` });
}

/** Like {@link run}, throwing with the output when the command fails. */
export function runOk(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): string {
  const r = run(command, args, options);
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${r.status ?? r.signal ?? r.error?.message}):\n${r.output}`);
  }
  return r.stdout;
}

/** True when `command` is on PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v "$1"`, 'sh', command], { encoding: 'utf8' }).status === 0;
}

/**
 * Copies the working tree as it is now (tracked and untracked files, minus what .gitignore excludes: node_modules,
 * dist, packed tarballs) into `dest`. With `linkNodeModules`, `dest/node_modules` links to the checkout's, so the
 * copy can build without an install.
 */
export function copyWorkingTree(dest: string, linkNodeModules: boolean): void {
  const listed = runOk('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT });
  for (const file of listed.split('\0')) {
    if (file === '' || !existsSync(join(ROOT, file))) continue; // deleted but still in the index
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dest, file));
  }
  if (linkNodeModules) symlinkSync(join(ROOT, 'node_modules'), join(dest, 'node_modules'), 'dir');
}

/**
 * Makes `dir` a git repository with one commit of everything in it; returns the commit id. Identity and dates are
 * fixed, so the same files always give the same commit id.
 */
export function commitAll(dir: string, message: string): string {
  const env = { ...GIT_ENV, GIT_AUTHOR_DATE: '2000-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2000-01-01T00:00:00Z' };
  const git = (...args: string[]): string => runOk('git', args, { cwd: dir, env });
  git('init', '--quiet');
  git('add', '--all');
  git('commit', '--quiet', '--no-verify', '-m', message);
  return git('rev-parse', 'HEAD').trim();
}

/** A hash of the working tree's files (names and contents), as {@link copyWorkingTree} would copy them. */
export function workingTreeHash(): string {
  const hash = createHash('sha256');
  const listed = runOk('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT });
  for (const file of listed.split('\0').sort()) {
    if (file === '' || !existsSync(join(ROOT, file))) continue;
    hash.update(file).update('\0').update(readFileSync(join(ROOT, file))).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** A fixed identity and no signing, whatever the machine's git configuration says. */
export const GIT_ENV: NodeJS.ProcessEnv = {
  GIT_AUTHOR_NAME: 'sg-lint test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'sg-lint test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

/** A template whose security group admits SSH from the whole internet. */
export const OPEN_SSH_TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  BastionSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Bastion host
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
          Description: SSH from anywhere
`;

/** A template whose group admits HTTPS from inside the VPC only and sends HTTPS inside the VPC only. */
export const CLEAN_TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AppSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Internal HTTPS service
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.20.0.0/16
          Description: HTTPS from inside the VPC
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.20.0.0/16
          Description: HTTPS inside the VPC
`;
