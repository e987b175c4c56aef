/**
 * Optional packages: the heavy dependencies of two side features (`graph --format svg`, `diff`'s change table) are
 * optional peer dependencies, so a default install does not pull them. They are loaded on first use; when one is
 * missing the command fails with one line saying what to install.
 */
import { ConfigError } from './run';

/** The optional packages, with the exact version sg-lint is tested with (package.json `peerDependencies`). */
export const OPTIONAL_PACKAGES = {
  '@viz-js/viz': { version: '3.31.0', feature: 'sg-lint graph --format svg' },
  '@aws-cdk/cloudformation-diff': { version: '2.187.5', feature: 'sg-lint diff' },
} as const;

export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES;

/** The message for a missing optional package. */
export function missingPackageMessage(name: OptionalPackage): string {
  const { version, feature } = OPTIONAL_PACKAGES[name];
  return `${feature} needs the optional package ${name}, which is not installed: run "npm install ${name}@${version}" next to sg-lint`;
}

/** Loads an optional package, or throws a ConfigError naming the install command when it is not installed. */
export function requireOptional<T>(name: OptionalPackage, load: () => unknown): T {
  try {
    return load() as T;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    if ((code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && String((e as Error).message).includes(name)) {
      throw new ConfigError(missingPackageMessage(name));
    }
    throw e;
  }
}
