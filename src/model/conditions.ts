/**
 * Typed conditions: what a variant of a rule or group assumes, and the one helper that decides whether a set of
 * variants can hold together.
 *
 * Parsers attach `conditions` to every `SgRule` and `SecurityGroup`; message text is derived from them
 * (`describeCondition`), and rules reason on them only through `canHoldTogether` (via the kit's variant helpers).
 *
 * A CloudFormation condition outcome carries the condition's definition over parameters, so outcomes of different
 * conditions over the same parameters are understood as the constraints they are: `IsDev: !Not [!Condition IsProd]`
 * can never be true together with `IsProd`, and a parameter cannot hold two values at once. `canHoldTogether` decides
 * by a bounded search over each parameter's domain: its AllowedValues when known, else the literals it is compared
 * with or assumed to be, plus "any other value".
 */

/** A term a condition compares (`Fn::Equals` operand). */
export type ConditionOperand =
  | { kind: 'literal'; value: string }
  /**
   * An input the deployment chooses: a CloudFormation parameter or pseudo parameter (`AWS::Region`), or a Terraform
   * variable (named `var.<name>`). `allowedValues` is its whole domain when the input declares one.
   */
  | { kind: 'parameter'; name: string; allowedValues?: readonly string[] }
  /** A value the input does not determine (an ImportValue, a computed string); equal keys are the same value. */
  | { kind: 'opaque'; key: string };

/** A condition's definition: a boolean expression over operands (CloudFormation `Conditions`, Terraform `count`). */
export type ConditionExpr =
  | { kind: 'literal'; value: boolean }
  | { kind: 'equals'; left: ConditionOperand; right: ConditionOperand }
  | { kind: 'not'; expr: ConditionExpr }
  | { kind: 'and'; exprs: readonly ConditionExpr[] }
  | { kind: 'or'; exprs: readonly ConditionExpr[] }
  /** A boolean the input does not determine; equal keys are the same boolean. */
  | { kind: 'opaque'; key: string };

/**
 * One thing a variant assumes.
 * - `condition`: a CloudFormation condition has this outcome (an `Fn::If` branch, a resource's `Condition`);
 *   `definition` is what the condition means over parameters, when the template says.
 * - `parameter`: a CloudFormation parameter has this value: its `Default`, one of its `AllowedValues`, or the value
 *   given for the run (`--parameter`, a parameters file: `from` names it).
 * - `variable`: a Terraform variable's value: its default, or (`from`) the value set by a variables file (with the line),
 *   `--var` or an environment variable (`value` when it is a scalar; `scope` is the module address prefix,
 *   "module.net.", for a variable of a called module).
 * - `attribute`: the value is a resource's attribute (`Fn::GetAtt Db.Endpoint.Port`), read from its properties or,
 *   `engineDefault`, the default port AWS assigns to its engine.
 * - `module-call`: the resource is written in a called module; `files` are the files of the calls that lead to it.
 * - `inferred-group`: a plan's rule was linked to its group through locals, the only group of a module.
 * - `instance`: Terraform `count`/`for_each`: the rule stands for one instance of a counted resource, or, when the
 *   count or keys are not known (`reason` says why), for an instance that exists only if created; `created` is what
 *   its existence implies, when the configuration says (`count = var.a ? 1 : 0`: var.a holds).
 * - `module-argument`: the value came from an argument a module call passed (`module.net argument cidr`).
 * - `unknown-group`: the group a standalone rule belongs to is not known (`reason` says why).
 */
export type Condition =
  | { kind: 'condition'; name: string; value: boolean; definition?: ConditionExpr }
  | { kind: 'parameter'; name: string; value: string; source: 'default' | 'allowed-value' | 'given'; allowedValues?: readonly string[]; from?: string }
  | { kind: 'variable'; name: string; scope?: string; value?: string; from?: VariableSource }
  | { kind: 'attribute'; resource: string; attribute: string; engineDefault?: true }
  | { kind: 'module-call'; module: string; files: readonly string[] }
  | { kind: 'inferred-group'; locals: readonly string[]; where: string }
  | { kind: 'instance'; resource: string; instance?: string; count?: number; reason?: string; created?: ConditionExpr }
  | { kind: 'module-argument'; module: string; argument: string }
  | { kind: 'unknown-group'; reason: string };

/** Where a Terraform variable's value was set: a variables file (with the line), `--var`, `TF_VAR_<name>`. */
export interface VariableSource {
  /** "prod.auto.tfvars", "--var", "environment variable TF_VAR_cidr". */
  source: string;
  /** The line of the assignment in a variables file; not part of the condition's identity. */
  line?: number;
}

/** A set of conditions that all hold: a variant's assumptions (empty: it holds unconditionally). */
export type Conditions = readonly Condition[];

/**
 * Identity of a condition, stable and free of display text: "condition:IsProd=true", "parameter:AdminCidr=0.0.0.0/1",
 * "variable:cidr", "instance:aws_security_group.a[0]". Fingerprints and variant keys are built from it.
 */
export function conditionKey(c: Condition): string {
  switch (c.kind) {
    case 'condition':
      return `condition:${c.name}=${c.value}`;
    case 'parameter':
      return `parameter:${c.name}=${c.value}`;
    case 'variable':
      return `variable:${c.scope ?? ''}${c.name}${c.from ? `@${c.from.source}` : ''}${c.value === undefined ? '' : `=${c.value}`}`;
    case 'attribute':
      return `attribute:${c.resource}.${c.attribute}${c.engineDefault ? ':default' : ''}`;
    case 'module-call':
      return `module-call:${c.module}`;
    case 'inferred-group':
      return `inferred-group:${c.where}:${c.locals.join(',')}`;
    case 'instance':
      return `instance:${c.instance ?? `${c.resource}[*]`}`;
    case 'module-argument':
      return `module-argument:${c.module}.${c.argument}`;
    case 'unknown-group':
      return 'unknown-group';
  }
}

/** The keys of a set of conditions, in order, joined: equal for equal sets written in the same order. */
export function conditionsKey(conditions: Conditions): string {
  // Most rules hold unconditionally or under one condition: no array to build and join for those.
  if (conditions.length === 0) return '';
  if (conditions.length === 1) return conditionKey(conditions[0] as Condition);
  return conditions.map(conditionKey).join('\u0000');
}

/**
 * How a condition reads in messages: "when condition IsProd is true", "via parameter AdminCidr default",
 * "when parameter AdminCidr is 0.0.0.0/1 (AllowedValues)", "via variable cidr default",
 * "assuming instance aws_security_group.a[0] of 3", "if created: aws_security_group.a (count is not known: ...)".
 */
export function describeCondition(c: Condition): string {
  switch (c.kind) {
    case 'condition':
      return `when condition ${c.name} is ${c.value}`;
    case 'parameter':
      return c.source === 'default'
        ? `via parameter ${c.name} default`
        : c.source === 'given'
          ? `via parameter ${c.name} = ${c.value}${c.from ? ` from ${c.from}` : ''}`
          : `when parameter ${c.name} is ${c.value} (AllowedValues)`;
    case 'variable':
      return c.from ? `via variable ${c.name} from ${c.from.source}${c.from.line === undefined ? '' : `:${c.from.line}`}` : `via variable ${c.name} default`;
    case 'attribute':
      return `via Fn::GetAtt ${c.resource}.${c.attribute}${c.engineDefault ? " (the engine's default port)" : ''}`;
    case 'module-call':
      return `in ${c.module} (called from ${c.files.join(' → ')})`;
    case 'inferred-group':
      return `via ${c.locals.join(', ')} (taken as the only security group of ${c.where}: a plan does not record locals)`;
    case 'instance':
      return c.instance !== undefined ? `assuming instance ${c.instance} of ${c.count ?? '?'}` : `if created: ${c.resource}${c.reason ? ` (${c.reason})` : ''}`;
    case 'module-argument':
      return `via module ${c.module} argument ${c.argument}`;
    case 'unknown-group':
      return `security group: ${c.reason}`;
  }
}

/** The message texts of a set of conditions, duplicates removed, in order. */
export function describeConditions(conditions: Conditions): string[] {
  return [...new Set(conditions.map(describeCondition))];
}

/**
 * True when the condition makes the variant one possibility among others rather than what the input says: a condition
 * outcome, or a parameter value taken from AllowedValues. A parameter's or variable's default and a counted instance
 * are what a deployment gets unless someone chooses otherwise.
 */
export function isConditionalCondition(c: Condition): boolean {
  return c.kind === 'condition' || (c.kind === 'parameter' && c.source === 'allowed-value');
}

/** Merges condition sets, keeping the first of equal conditions (by `conditionKey`), in order. */
export function mergeConditions(...sets: readonly Conditions[]): Condition[] {
  return mergeConditionSets(sets);
}

/** `mergeConditions` for a list of sets as long as the input makes it (a spread would pass each on the call stack). */
export function mergeConditionSets(sets: readonly Conditions[]): Condition[] {
  const seen = new Set<string>();
  const out: Condition[] = [];
  for (const set of sets) {
    for (const c of set) {
      const key = conditionKey(c);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(c);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Satisfiability

/** Most search steps one question may take; past it the answer is "can hold together" (the direct check still ran). */
const MAX_STEPS = 20_000;

/** Stands for "any value other than the ones named" in a domain without AllowedValues. */
const OTHER = '\u0000other';

/** A boolean constraint over variables: a condition's definition must have the outcome the variant assumes. */
interface Constraint {
  expr: ConditionExpr;
  value: boolean;
}

/** Answers remembered per set of conditions (keys include definitions' identities); cleared when it grows large. */
const memo = new Map<string, boolean>();
const MEMO_LIMIT = 50_000;
const definitionIds = new WeakMap<object, number>();
let nextDefinitionId = 1;

function definitionId(expr: ConditionExpr | undefined): number {
  if (expr === undefined) return 0;
  let id = definitionIds.get(expr);
  if (id === undefined) {
    id = nextDefinitionId++;
    definitionIds.set(expr, id);
  }
  return id;
}

/**
 * True when some deployment satisfies every condition of every set at once: the variants can exist together.
 *
 * Direct contradictions (one condition both true and false, one parameter with two values) answer at once; conditions
 * with definitions are then solved together over the parameters they mention, each ranging over its AllowedValues, or
 * else over the literals it is compared with or assumed to be plus "any other value"; opaque terms range freely.
 * The search is bounded (`MAX_STEPS`); past the bound the answer is true, as it is for what cannot be decided.
 */
export function canHoldTogether(...sets: readonly Conditions[]): boolean {
  let total = 0;
  let nonEmpty = 0;
  for (const s of sets) {
    total += s.length;
    if (s.length > 0) nonEmpty++;
  }
  if (total === 0) return true;
  const all = nonEmpty === 1 ? (sets.find((s) => s.length > 0) as Conditions) : sets.flat();
  if (!directlyConsistent(all)) return false;
  if (!all.some(needsSolving)) return true;
  const key = all.map((c) => `${conditionKey(c)}#${definitionId(c.kind === 'condition' ? c.definition : c.kind === 'instance' ? c.created : undefined)}`).sort().join('\u0000');
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const answer = solve(all);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, answer);
  return answer;
}

/**
 * True for a condition outcome whose definition says more than its own name, and for an instance with what its
 * existence implies: the direct check cannot decide them. A literal definition decides it alone; an opaque one keyed
 * by its own name is the outcome itself.
 */
function needsSolving(c: Condition): boolean {
  if (c.kind === 'instance') return c.created !== undefined;
  if (c.kind !== 'condition' || c.definition === undefined) return false;
  const d = c.definition;
  if (d.kind === 'literal') return true;
  return !(d.kind === 'opaque' && d.key === `condition:${c.name}`);
}

/** No condition both true and false, no parameter or variable with two values. */
function directlyConsistent(all: Conditions): boolean {
  if (all.length < 2) return true;
  const slots = new Map<string, string>();
  for (const c of all) {
    let slot: string;
    let value: string;
    if (c.kind === 'condition') [slot, value] = [`c:${c.name}`, String(c.value)];
    else if (c.kind === 'parameter') [slot, value] = [`p:${c.name}`, c.value];
    else if (c.kind === 'variable' && c.value !== undefined) [slot, value] = [`p:${c.scope ?? ''}var.${c.name}`, c.value];
    else continue;
    const seen = slots.get(slot);
    if (seen !== undefined && seen !== value) return false;
    slots.set(slot, value);
  }
  return true;
}

/** A variable of the search: a parameter (or opaque value) with its domain, or an opaque boolean. */
interface Variable {
  name: string;
  domain: string[];
}

function solve(all: Conditions): boolean {
  const constraints: Constraint[] = [];
  const fixed = new Map<string, string>();
  const literals = new Map<string, Set<string>>();
  const allowed = new Map<string, readonly string[]>();
  const booleans = new Set<string>();
  const seen = (name: string, value?: string): void => {
    const set = literals.get(name) ?? new Set<string>();
    if (value !== undefined) set.add(value);
    literals.set(name, set);
  };
  for (const c of all) {
    if (c.kind === 'condition') {
      // A condition's outcome is a boolean of its own when its definition is unknown.
      constraints.push({ expr: c.definition ?? { kind: 'opaque', key: `condition:${c.name}` }, value: c.value });
    } else if (c.kind === 'instance' && c.created !== undefined) {
      // The instance exists: what its existence implies holds.
      constraints.push({ expr: c.created, value: true });
    } else if (c.kind === 'parameter') {
      fixed.set(c.name, c.value);
      seen(c.name, c.value);
      if (c.allowedValues) allowed.set(c.name, c.allowedValues);
    } else if (c.kind === 'variable' && c.value !== undefined) {
      fixed.set(`${c.scope ?? ''}var.${c.name}`, c.value);
      seen(`${c.scope ?? ''}var.${c.name}`, c.value);
    }
  }
  const visit = (e: ConditionExpr): void => {
    switch (e.kind) {
      case 'equals': {
        const [l, r] = [e.left, e.right];
        for (const [a, b] of [
          [l, r],
          [r, l],
        ] as const) {
          if (a.kind === 'literal') continue;
          const name = operandName(a);
          seen(name, b.kind === 'literal' ? b.value : undefined);
          if (a.kind === 'parameter' && a.allowedValues) allowed.set(name, a.allowedValues);
        }
        // Two inputs compared with each other can be equal on a value neither is compared with: give both one.
        if (l.kind !== 'literal' && r.kind !== 'literal') {
          const shared = `\u0001${[operandName(l), operandName(r)].sort().join('=')}`;
          seen(operandName(l), shared);
          seen(operandName(r), shared);
        }
        return;
      }
      case 'not':
        return visit(e.expr);
      case 'and':
      case 'or':
        return e.exprs.forEach(visit);
      case 'opaque':
        booleans.add(e.key);
        return;
      case 'literal':
        return;
    }
  };
  for (const c of constraints) visit(c.expr);
  const variables: Variable[] = [];
  for (const [name, values] of literals) {
    const domain = allowed.get(name) ?? [...values, OTHER];
    const pinned = fixed.get(name);
    if (pinned !== undefined) {
      if (!domain.includes(pinned)) return false;
      variables.push({ name, domain: [pinned] });
    } else variables.push({ name, domain: [...domain] });
  }
  for (const key of booleans) variables.push({ name: `?${key}`, domain: ['true', 'false'] });
  // Constraints that share no variable are independent: each group of connected constraints is searched alone, so
  // the work grows with the largest group, not with the product of all domains.
  const byName = new Map(variables.map((v) => [v.name, v]));
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r) as string;
    return r;
  };
  const groups = constraints.map((c) => {
    const names = [...namesOf(c.expr)];
    for (const n of names) if (!parent.has(n)) parent.set(n, n);
    for (const n of names.slice(1)) parent.set(find(n), find(names[0] as string));
    return names;
  });
  const components = new Map<string, { constraints: Constraint[]; names: Set<string> }>();
  constraints.forEach((c, i) => {
    const names = groups[i] ?? [];
    const root = names.length > 0 ? find(names[0] as string) : `#${i}`;
    const comp = components.get(root) ?? { constraints: [], names: new Set<string>() };
    comp.constraints.push(c);
    for (const n of names) comp.names.add(n);
    components.set(root, comp);
  });
  for (const comp of components.values()) {
    const vars = [...comp.names].map((n) => byName.get(n)).filter((v): v is Variable => v !== undefined);
    if (!searchComponent(comp.constraints, vars)) return false;
  }
  return true;
}

/** Depth-first search for an assignment of `variables` under which every constraint has its required outcome. */
function searchComponent(constraints: readonly Constraint[], variables: readonly Variable[]): boolean {
  const assignment = new Map<string, string>();
  let steps = 0;
  const search = (i: number): boolean => {
    if (++steps > MAX_STEPS) return true;
    for (const c of constraints) if (evaluate(c.expr, assignment) === !c.value) return false;
    const v = variables[i];
    if (v === undefined) return true;
    for (const value of v.domain) {
      assignment.set(v.name, value);
      if (search(i + 1)) return true;
    }
    assignment.delete(v.name);
    return false;
  };
  return search(0);
}

/** The search variables an expression reads: parameter and opaque operand names, opaque booleans as "?key". */
function namesOf(e: ConditionExpr, out = new Set<string>()): Set<string> {
  switch (e.kind) {
    case 'equals':
      for (const o of [e.left, e.right]) if (o.kind !== 'literal') out.add(operandName(o));
      break;
    case 'not':
      namesOf(e.expr, out);
      break;
    case 'and':
    case 'or':
      for (const x of e.exprs) namesOf(x, out);
      break;
    case 'opaque':
      out.add(`?${e.key}`);
      break;
    case 'literal':
      break;
  }
  return out;
}

function operandName(o: ConditionOperand): string {
  return o.kind === 'parameter' ? o.name : o.kind === 'opaque' ? `~${o.key}` : '';
}

/** The value of an operand under a partial assignment; undefined while unassigned. */
function operandValue(o: ConditionOperand, assignment: ReadonlyMap<string, string>): string | undefined {
  if (o.kind === 'literal') return o.value;
  const name = operandName(o);
  const v = assignment.get(name);
  // "Any other value" of one variable differs from every literal and from another variable's other value.
  return v === OTHER ? `${OTHER}${name}` : v;
}

/** Three-valued evaluation under a partial assignment: undefined while it depends on unassigned variables. */
function evaluate(e: ConditionExpr, assignment: ReadonlyMap<string, string>): boolean | undefined {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'equals': {
      const l = operandValue(e.left, assignment);
      const r = operandValue(e.right, assignment);
      return l === undefined || r === undefined ? undefined : l === r;
    }
    case 'not': {
      const v = evaluate(e.expr, assignment);
      return v === undefined ? undefined : !v;
    }
    case 'and':
    case 'or': {
      const decisive = e.kind === 'or';
      let unsure = false;
      for (const x of e.exprs) {
        const v = evaluate(x, assignment);
        if (v === undefined) unsure = true;
        else if (v === decisive) return decisive;
      }
      return unsure ? undefined : !decisive;
    }
    case 'opaque': {
      const v = assignment.get(`?${e.key}`);
      return v === undefined ? undefined : v === 'true';
    }
  }
}
