/**
 * What the evaluator needs from its caller: references (variables, locals, resources, ...), the file system for
 * `file()`/`templatefile()`, and the bounds shared by one evaluation.
 */
import type { SourceLocation } from '../../../model/types';
import type { Budget } from './budget';
import type { TfVal } from './value';

/** One step of a traversal after its root: `.name`, `[key]`, `[*]` (full splat) or `.*` (legacy). */
export type Step = { kind: 'attr'; name: string } | { kind: 'index'; key: TfVal } | { kind: 'splat'; legacy?: boolean };

/**
 * Front-ends call `enter` before evaluating each node and `leave` after it (in a `finally`). `enter` returns an
 * Unknown value, and counts nothing, when evaluation is already too deep (counting the expressions reached through
 * references); the node must then not be evaluated.
 */
export interface Nesting {
  enter(loc: SourceLocation): TfVal | undefined;
  leave(): void;
}

/** Read access to files for `file`, `fileexists`, `templatefile`, confined to the scanned tree. */
export interface FileAccess {
  /** The module directory (`path.module`), relative paths resolve against it. */
  readonly moduleDir: string;
  /** Reads a file; a message when it does not exist or lies outside the scanned tree. */
  read(path: string): { text: string } | { error: string };
  exists(path: string): boolean | { error: string };
}

/** What expressions evaluate against. */
export interface EvalContext {
  traverse(root: string, steps: Step[], text: string, loc: SourceLocation): TfVal;
  readonly nesting: Nesting;
  readonly files?: FileAccess;
  readonly budget?: Budget;
  /** Functions besides Terraform's built-ins, consulted first (Terragrunt's `find_in_parent_folders`, ...). */
  readonly extraFunctions?: ReadonlyMap<string, (args: TfVal[], loc: SourceLocation) => TfVal>;
}
