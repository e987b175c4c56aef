/**
 * The expression tree of Terraform's expression language (HCL native syntax), as parse.ts builds it from `.tf`
 * expression text and from `.tf.json` string templates alike. Every node keeps its offsets in the source text.
 */

interface At {
  /** Offset of the first character in the parsed text (plus the parser's base offset). */
  start: number;
  /** Offset after the last character. */
  end: number;
}

/** `1`, `"text"` (without interpolation), `true`, `null`. */
export interface Literal extends At {
  t: 'literal';
  value: string | number | boolean | null;
}

/** A template: `"a ${b} %{if c}d%{endif}"` or a heredoc. */
export interface Template extends At {
  t: 'template';
  parts: TemplatePart[];
  /** True for heredocs (for messages only). */
  heredoc?: boolean;
}

export type TemplatePart =
  | { p: 'text'; text: string }
  | { p: 'interp'; expr: Expr; stripBefore: boolean; stripAfter: boolean }
  | { p: 'if'; cond: Expr; then: TemplatePart[]; else: TemplatePart[]; strip: StripMarks }
  | { p: 'for'; keyVar?: string; valueVar: string; collection: Expr; body: TemplatePart[]; strip: StripMarks };

/** Strip markers of a directive (`%{~ if x ~}`): before/after its opening, else and end tags. */
export interface StripMarks {
  openBefore: boolean;
  openAfter: boolean;
  elseBefore: boolean;
  elseAfter: boolean;
  endBefore: boolean;
  endAfter: boolean;
}

/** A bare name: `var`, `local`, `each`, `aws_security_group`, a for-expression variable. */
export interface Variable extends At {
  t: 'variable';
  name: string;
}

export interface GetAttr extends At {
  t: 'attr';
  object: Expr;
  name: string;
}

export interface Index extends At {
  t: 'index';
  object: Expr;
  key: Expr;
  /** `a.0` (legacy index) rather than `a[0]`. */
  legacy?: boolean;
}

/**
 * `source[*].rest` (full splat) or `source.*.rest` (attribute-only splat): `each` is evaluated for every element
 * with the element as the SplatItem placeholder.
 */
export interface Splat extends At {
  t: 'splat';
  source: Expr;
  each: Expr;
}

/** The element inside a splat's `each`. */
export interface SplatItem extends At {
  t: 'splat-item';
}

export interface Call extends At {
  t: 'call';
  name: string;
  args: Expr[];
  /** The last argument ends with `...` (expanded). */
  expand: boolean;
}

export interface TupleCons extends At {
  t: 'tuple';
  items: Expr[];
}

export interface ObjectCons extends At {
  t: 'object';
  items: { key: Expr; value: Expr; /** a bare word key: the key is its text */ bare?: string }[];
}

export interface ForExpr extends At {
  t: 'for';
  keyVar?: string;
  valueVar: string;
  collection: Expr;
  /** Present for the object form `{for ...: k => v}`. */
  key?: Expr;
  value: Expr;
  cond?: Expr;
  /** `...` after the value: values with the same key are grouped into tuples. */
  group: boolean;
}

export interface Unary extends At {
  t: 'unary';
  op: '!' | '-';
  operand: Expr;
}

export interface Binary extends At {
  t: 'binary';
  op: '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '&&' | '||';
  left: Expr;
  right: Expr;
}

export interface Conditional extends At {
  t: 'conditional';
  cond: Expr;
  then: Expr;
  else: Expr;
}

export interface Parens extends At {
  t: 'parens';
  inner: Expr;
}

export type Expr =
  | Literal
  | Template
  | Variable
  | GetAttr
  | Index
  | Splat
  | SplatItem
  | Call
  | TupleCons
  | ObjectCons
  | ForExpr
  | Unary
  | Binary
  | Conditional
  | Parens;
