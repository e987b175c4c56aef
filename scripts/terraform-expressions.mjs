/**
 * Generates the expressions of the differential test against `terraform console` (see
 * scripts/record-terraform-console.mjs): every operator, every function sg-lint evaluates, nested for/splat/template
 * forms, conversions, type constraints (through fixtures/terraform-console/config/main.tf) and edge cases. The list
 * is deterministic; each entry is one line of Terraform expression syntax.
 */

const values = {
  num: ['0', '1', '-1', '2.5', '1e3', '0.1', '7', '-0.5', '100'],
  str: ['""', '"a"', '"10"', '"2.5"', '"true"', '"false"', '"Hello World"', '"  pad  "', '"é"', '"a,b,c"', '"x\\ny"'],
  bool: ['true', 'false'],
  coll: ['[]', '[1, 2]', '["a", "b"]', '[1, "a"]', '{}', '{ a = 1 }', '{ a = "x", b = "y" }', 'tolist(["a", "b"])', 'toset(["b", "a"])', 'tomap({ k = "v" })', 'null'],
};

function* operators() {
  const scalars = [...values.num.slice(0, 6), '"3"', '"x"', 'true', 'null'];
  for (const op of ['+', '-', '*', '/', '%']) for (const a of scalars) for (const b of ['2', '"4"', '0', 'true', '-3', '0.5']) yield `${a} ${op} ${b}`;
  for (const op of ['<', '>', '<=', '>=']) for (const a of ['1', '2', '"3"', '-1.5']) for (const b of ['1', '"2"', '0']) yield `${a} ${op} ${b}`;
  const eq = ['1', '"1"', 'true', '"true"', 'null', '[1]', 'tolist([1])', '{ a = 1 }', 'tomap({ a = 1 })', '[]', '{}', '1.0', '0.1 + 0.2', '0.3'];
  for (const op of ['==', '!=']) for (const a of eq) for (const b of eq.slice(0, 9)) yield `${a} ${op} ${b}`;
  for (const op of ['&&', '||']) for (const a of ['true', 'false', '"true"', 'null', '1']) for (const b of ['true', 'false', '"false"']) yield `${a} ${op} ${b}`;
  for (const a of ['true', 'false', '"true"', '1', 'null']) yield `!${a}`;
  for (const a of ['1', '"2"', '-3', 'true', '0']) yield `-${a}`;
  yield '1 + 2 * 3';
  yield '(1 + 2) * 3';
  yield '10 - 4 - 3';
  yield '2 * 3 % 4';
  yield '1 < 2 == true';
  yield '!true || true && false';
  yield '-2 * -3';
  yield '1 + 2 > 2 ? "big" : "small"';
  for (const c of ['true', 'false', '"true"', '"false"', 'null', '1', '1 > 0']) for (const [a, b] of [['1', '2'], ['1', '"a"'], ['"a"', 'true'], ['1', 'true'], ['[1]', '[2, 3]'], ['null', '"x"'], ['{ a = 1 }', '{ b = 2 }']]) yield `${c} ? ${a} : ${b}`;
}

function* numbers() {
  for (const n of ['0', '1', '-1', '1.5', '1e3', '1e-3', '1.23e4', '0.000001', '123456789012', '1e20', '3.14159', '100.0', '2e0', '007']) yield n;
  yield '1 / 3';
  yield '2 / 3 * 3';
  yield '10 / 4';
  yield '1 / 0';
  yield '-1 / 0';
  yield '0.1 + 0.2';
  yield '0.1 * 3';
  yield '5 % 3';
  yield '-5 % 3';
  yield '5 % -3';
  yield '5.5 % 2';
  yield '1e3 + 1';
  yield '2 * 0.1';
  yield '1000000 * 1000000';
}

/**
 * Every form of number literal Terraform's scanner reads (an exponent without a fraction, a dot without fraction
 * digits before an exponent, leading zeros), the forms it refuses, and the same literals inside templates, heredocs,
 * collections and the configuration (local.number_forms, var.number_form: written in config/main.tf, which sg-lint
 * reads through tree-sitter).
 */
function* numberForms() {
  for (const n of ['1e9', '1E9', '2E+3', '5e-1', '5E-1', '1e0', '2.2e1', '1e03', '1E-0', '00', '0e0', '1.e3', '1.e+3', '1.E-3', '2.e0', '0.e0', '1.5E-2', '1.0e0']) yield n;
  for (const n of ['1e3e3', '1e3.5', '1.5.e3', '1..2', '1.5.5', '1e', '1e+', '1.e', '1.', '0x10', '1_000', '.5', '1.e3.x']) yield n;
  yield '1e2 + 1';
  yield '1e+3+1';
  yield '1e3-1';
  yield '1e-3-1';
  yield '-1e3';
  yield '1e3 == 1000';
  yield '[1e2, 2E1, 5e-1]';
  yield '{ a = 1e2, b = 1.e1 }';
  yield '"${1e2}"';
  yield '"x%{if 1e0 == 1}y%{endif}"';
  yield 'max(1e1, 2E0)';
  yield 'range(0, 3e0)';
  yield 'local.number_forms';
  yield 'var.number_form';
}

function* strings() {
  const s = ['"abc"', '"Hello World"', '"  pad  "', '"a,b,,c"', '"x\\ny\\n"', '"é ü"', '""', '"café"', '"tab\\there"', '"quote \\" and \\\\"'];
  for (const x of s) {
    for (const f of ['lower', 'upper', 'chomp', 'trimspace', 'strrev', 'title', 'length', 'base64encode', 'urlencode', 'jsonencode', 'tostring', 'md5', 'sha256']) yield `${f}(${x})`;
  }
  for (const x of s.slice(0, 6)) {
    yield `startswith(${x}, "a")`;
    yield `endswith(${x}, "c")`;
    yield `strcontains(${x}, "l")`;
    yield `trimprefix(${x}, "He")`;
    yield `trimsuffix(${x}, "ld")`;
    yield `trim(${x}, " a")`;
    yield `split(",", ${x})`;
    yield `substr(${x}, 1, 3)`;
    yield `substr(${x}, -3, -1)`;
    yield `indent(2, ${x})`;
    yield `replace(${x}, "l", "L")`;
    yield `replace(${x}, "/[aeiou]/", "_")`;
    yield `"<${'$'}{${x}}>"`;
  }
  yield 'chomp("a\\n\\n")';
  yield 'chomp("a\\r\\n")';
  yield 'split("", "abc")';
  yield 'split(",", "")';
  yield 'join(", ", ["a", "b", "c"])';
  yield 'join("-", [1, true, "x"])';
  yield 'join(",", [])';
  yield 'join(",", ["a"], ["b", "c"])';
  yield 'join(",", [null])';
  yield 'join(",", [[1]])';
  yield 'substr("hello", 10, 1)';
  yield 'substr("hello", 0, 100)';
  yield 'substr("hello", 5, 1)';
  yield 'replace("a.b.c", ".", "-")';
  yield 'replace("abc", "/(b)/", "[$1]")';
  yield 'replace("10.0.0.0/8", "/\\\\/.*$/", "")';
  yield 'regex("[a-z]+", "123abc456")';
  yield 'regex("(\\\\d+)-(\\\\d+)", "port 22-80")';
  yield 'regex("(?P<from>\\\\d+)-(?P<to>\\\\d+)", "port 22-80")';
  yield 'regex("x", "abc")';
  yield 'regexall("[0-9]+", "1 22 333")';
  yield 'regexall("(a)(b)?", "ab a")';
  yield 'regexall("z", "abc")';
  yield 'length(regexall("-", "a-b-c"))';
  yield 'title("hello world-foo bar_baz")';
  yield 'indent(4, "a\\nb\\n")';
  yield 'trim("?!hello?!", "!?")';
  yield 'trimspace("\\n\\t x \\n")';
  yield 'strrev("")';
  yield 'lower(1)';
  yield 'upper(true)';
  yield 'upper([])';
}

function* formats() {
  const verbs = ['%d', '%s', '%v', '%q', '%t', '%f', '%.2f', '%5d', '%-5d|', '%05d', '%x', '%X', '%o', '%b', '%e', '%g', '%+d', '%8.3f', '%.1s', '%10s|', '%-10s|', '%%'];
  const args = ['42', '-7', '3.75', '"str"', 'true', '"12"', '0'];
  for (const v of verbs) for (const a of args) yield v === '%%' ? `format("100%%")` : `format("${v}", ${a})`;
  yield 'format("%s-%s", "a", "b")';
  yield 'format("%[2]s %[1]s", "a", "b")';
  yield 'format("%s")';
  yield 'format("%s", "a", "b")';
  yield 'format("%v", [1, "a"])';
  yield 'format("%v", { a = 1 })';
  yield 'format("%v", null)';
  yield 'format("%s", null)';
  yield 'format("no verbs")';
  yield 'format("%d", 1.5)';
  yield 'format("%z", 1)';
  yield 'formatlist("%s=%d", ["a", "b"], [1, 2])';
  yield 'formatlist("%s:%s", "host", ["a", "b"])';
  yield 'formatlist("%s", [])';
  yield 'formatlist("%s-%s", ["a"], ["b", "c"])';
  yield 'formatlist("x")';
}

function* numeric() {
  for (const x of ['0', '1.5', '-1.5', '-2', '2.5', '"3.7"', '-0.5', 'null', '"x"']) {
    for (const f of ['abs', 'ceil', 'floor', 'signum']) yield `${f}(${x})`;
  }
  yield 'max(1, 5, 3)';
  yield 'min(1, 5, 3)';
  yield 'max([1, 9]...)';
  yield 'min(-1.5, "2")';
  yield 'max()';
  yield 'max("a")';
  yield 'pow(2, 10)';
  yield 'pow(2, 0.5)';
  yield 'pow(0, 0)';
  yield 'pow(-8, 1 / 3)';
  yield 'pow(10, -2)';
  yield 'log(8, 2)';
  yield 'log(100, 10)';
  yield 'log(1, 10)';
  yield 'log(16, 4)';
  for (const [s, b] of [['"100"', 10], ['"ff"', 16], ['"FF"', 16], ['"-1010"', 2], ['"777"', 8], ['"zz"', 36], ['"12"', 2], ['"abc"', 10], ['"10"', 1], ['"10"', 63], ['10', 10], ['"+5"', 10], ['""', 10]]) yield `parseint(${s}, ${b})`;
}

function* collections() {
  yield 'length([1, 2, 3])';
  yield 'length({ a = 1, b = 2 })';
  yield 'length(toset([1, 1, 2]))';
  yield 'length("")';
  yield 'length(null)';
  yield 'length(1)';
  for (const c of ['[1, 2, 3]', '["b", "a", "b"]', 'tolist([3, 1])', 'toset(["z", "y"])', '[]', '[[1], [2, [3]]]', '[1, "a", true]', 'local.numbers', 'var.ports']) {
    for (const f of ['reverse', 'distinct', 'flatten', 'sort', 'compact', 'one', 'alltrue', 'anytrue', 'sum', 'length', 'tolist', 'toset', 'jsonencode', 'concat']) yield `${f}(${c})`;
    yield `element(${c}, 1)`;
    yield `element(${c}, 4)`;
    yield `contains(${c}, 1)`;
    yield `contains(${c}, "a")`;
    yield `index(${c}, "a")`;
    yield `slice(${c}, 0, 1)`;
    yield `chunklist(${c}, 2)`;
    yield `${c}[*]`;
    yield `${c}[0]`;
  }
  yield 'element(["a", "b"], -1)';
  yield 'element([], 0)';
  yield 'compact(["a", "", null, "b"])';
  yield 'alltrue([])';
  yield 'anytrue([])';
  yield 'alltrue(["true", true])';
  yield 'sum([])';
  yield 'sum([0.1, 0.2])';
  yield 'sum(["1", 2])';
  yield 'one([])';
  yield 'one([1, 2])';
  yield 'one(toset(["a"]))';
  yield 'chunklist([1, 2, 3], 0)';
  yield 'chunklist([], 2)';
  yield 'slice([1, 2, 3], 1, 3)';
  yield 'slice([1, 2, 3], 2, 1)';
  yield 'slice([1, 2, 3], 0, 4)';
  yield 'slice(["a", "b"], 1, 1)';
  yield 'concat([1], ["a"], [])';
  yield 'concat(tolist([1]), tolist(["a"]))';
  yield 'concat([1], 2)';
  yield 'concat()';
  yield 'flatten([[["a"]], [], ["b", ["c"]]])';
  yield 'flatten([toset(["b", "a"]), ["c"]])';
  yield 'sort(["b", "a", "10", "9"])';
  yield 'sort([3, 10, 2])';
  yield 'distinct([1, "1", 1])';
  yield 'reverse(toset([1]))';
  for (const m of ['{ a = 1, b = 2 }', '{ b = "x", a = "y" }', 'tomap({ z = 1, y = 2 })', '{}', 'local.names', 'var.untyped', '{ "c d" = 1, "1" = 2 }']) {
    yield `keys(${m})`;
    yield `values(${m})`;
    yield `lookup(${m}, "a")`;
    yield `lookup(${m}, "a", "dflt")`;
    yield `lookup(${m}, "missing", 0)`;
    yield `merge(${m}, { c = 3 })`;
    yield `length(${m})`;
    yield `tomap(${m})`;
    yield `contains(keys(${m}), "a")`;
    yield `${m}["a"]`;
    yield `${m}.a`;
    yield `${m}[*]`;
  }
  yield 'lookup({ a = 1 }, "b")';
  yield 'lookup({ a = "x" }, "a", 1)';
  yield 'lookup({ a = 1 }, "a", "d")';
  yield 'lookup([1], "a", 1)';
  yield 'merge()';
  yield 'merge({ a = 1 }, { a = 2, b = 3 })';
  yield 'merge(tomap({ a = "x" }), tomap({ b = "y" }))';
  yield 'merge(tomap({ a = "x" }), tomap({ b = 1 }))';
  yield 'merge({ a = 1 }, null, { b = 2 })';
  yield 'merge({ a = 1 }, [1])';
  yield 'merge({ a = { x = 1 } }, { a = { y = 2 } })';
  yield 'zipmap(["a", "b"], [1, 2])';
  yield 'zipmap(["a", "b"], tolist([1, 2]))';
  yield 'zipmap(["a"], [1, 2])';
  yield 'zipmap([], [])';
  yield 'zipmap(["a", "a"], [1, 2])';
  yield 'transpose({ a = ["1", "2"], b = ["2", "3"] })';
  yield 'transpose({})';
  yield 'matchkeys(["i-1", "i-2", "i-3"], ["a", "b", "c"], ["a", "c"])';
  yield 'matchkeys(["a"], ["x", "y"], [])';
  yield 'matchkeys([1, 2], [3, 4], [4])';
  for (const [a, b] of [['["a", "b"]', '["b", "c"]'], ['[1, 2]', '[2, 3]'], ['toset(["x"])', '[]'], ['[1]', '["1"]'], ['[]', '[]']]) {
    yield `setunion(${a}, ${b})`;
    yield `setintersection(${a}, ${b})`;
    yield `setsubtract(${a}, ${b})`;
    yield `setproduct(${a}, ${b})`;
  }
  yield 'setproduct(["a"], [1, 2], [true])';
  yield 'setproduct(toset(["a", "b"]), ["x"])';
  yield 'setproduct(["a"])';
  yield 'setunion(["a"], ["b"], ["c", "a"])';
  yield 'setintersection(["a", "b"], ["b"], ["b", "c"])';
  for (const r of ['3', '0', '1, 4', '4, 1', '0, 10, 3', '10, 0, -3', '1, 2, 0', '0.5, 3', '-3', '0, 1, 0.25', '2000', '0, 1025', '"3"', '1, 2, 3, 4']) yield `range(${r})`;
  yield 'coalesce("", "a", "b")';
  yield 'coalesce(null, 1, "x")';
  yield 'coalesce(1, "a")';
  yield 'coalesce(null, "")';
  yield 'coalesce()';
  yield 'coalesce(null, [1])';
  yield 'coalescelist([], ["a"], ["b"])';
  yield 'coalescelist([], [])';
  yield 'coalescelist(tolist([]), [1])';
}

function* encoding() {
  for (const v of ['"str"', '1.5', 'true', 'null', '[1, "a", null]', '{ b = 1, a = [true] }', 'tolist(["x"])', 'toset(["b", "a"])', 'tomap({ k = "v" })', '"<&>"', '{ "a b" = { c = "d" } }', '[]', '{}', '1e20', '"é\\n"']) {
    yield `jsonencode(${v})`;
    yield `yamlencode(${v})`;
    yield `jsondecode(jsonencode(${v}))`;
  }
  for (const j of ['"{\\"a\\": 1, \\"b\\": [true, null]}"', '"[1, 2.5, \\"x\\"]"', '"\\"s\\""', '"12"', '"null"', '"{"', '""', '"{\\"a\\": {\\"b\\": {}}}"']) yield `jsondecode(${j})`;
  for (const y of ['"a: 1\\nb: [x, y]\\n"', '"- 1\\n- two\\n- true\\n"', '"key: \\"quoted\\"\\n"', '"{a: 1"', '"~"', '"n: 1.5\\nm: null\\n"', '"a: &x 1\\nb: *x\\n"']) yield `yamldecode(${y})`;
  for (const b of ['"aGVsbG8="', '"aGk="', '"!!!"', '""', '"/w=="']) yield `base64decode(${b})`;
  for (const u of ['"a b&c=d/e?f"', '"é"', '"safe-_.~"', '""']) yield `urlencode(${u})`;
  yield 'csvdecode("a,b\\n1,2\\n3,4\\n")';
  yield 'csvdecode("a,b\\n\\"x,y\\",2\\n")';
  yield 'csvdecode("a,b\\n1\\n")';
  yield 'csvdecode("a\\n")';
  yield 'csvdecode(file("data.csv"))';
  for (const f of ['md5', 'sha1', 'sha256', 'sha512', 'base64sha256', 'base64sha512']) yield `${f}("hello")`;
}

function* ipnet() {
  for (const p of ['"10.0.0.0/8"', '"10.1.2.3/16"', '"192.168.0.0/24"', '"172.16.0.0/12"', '"fd00::/8"', '"2001:db8::/32"', '"0.0.0.0/0"']) {
    for (const [b, n] of [[8, 0], [8, 1], [8, 255], [8, 256], [4, 15], [1, 1], [0, 0], [30, 1], [16, 3]]) yield `cidrsubnet(${p}, ${b}, ${n})`;
    for (const h of [0, 1, 5, -1, -2, 256, 70000]) yield `cidrhost(${p}, ${h})`;
    yield `cidrnetmask(${p})`;
    yield `cidrsubnets(${p}, 4, 4, 8, 4)`;
  }
  yield 'cidrsubnet("10.0.0.0", 8, 1)';
  yield 'cidrsubnet("10.0.0.0/33", 1, 1)';
  yield 'cidrsubnet("300.0.0.0/8", 1, 1)';
  yield 'cidrsubnet("2001:db8::/120", 16, 1)';
  yield 'cidrsubnet("10.0.0.0/8", -1, 0)';
  yield 'cidrsubnets("10.0.0.0/24", 1, 1, 1)';
  yield 'cidrsubnets("10.0.0.0/8", 0)';
  yield 'cidrsubnets("10.0.0.0/8", 25)';
  yield 'cidrsubnets("10.0.0.0/16")';
  yield 'cidrsubnets("10.0.0.0/16", 8, 4)';
  yield 'cidrhost("::/0", 65536)';
  yield 'cidrhost("2001:db8::/64", 1)';
  yield '[for i in range(4) : cidrsubnet("10.0.0.0/16", 8, i)]';
}

function* types() {
  const vals = ['"1"', '"true"', '"x"', '1', '1.5', 'true', 'null', '[1, 2]', '["a", 1]', '[1, true]', '{ a = 1 }', '{ a = "x", b = 1 }', '{ a = [1] }', '[[1], ["a"]]', '[{ a = 1 }, { a = "x" }]', '[{ a = 1 }, { b = 1 }]', 'toset([1])', 'tomap({ a = 1 })'];
  for (const v of vals) for (const f of ['tostring', 'tonumber', 'tobool', 'tolist', 'toset', 'tomap', 'type']) yield `${f}(${v})`;
  for (const v of ['1', '"a"', 'true', 'null', '[1]', '{ a = 1 }', 'tolist([1])', 'toset(["a"])', 'tomap({ a = true })', 'var.obj_defaults', 'var.rules', '[for x in [1] : x]']) {
    yield `can(${v})`;
    yield `try(${v}, "fallback")`;
  }
  yield 'try({ a = 1 }.b, "fallback")';
  yield 'try(local.nested.a.b.c[5], -1)';
  yield 'try(local.nested.a.x, local.nested.a.b, 0)';
  yield 'try(tonumber("x"), 0)';
  yield 'try(tonumber("12"), 0)';
  yield 'try(["a"][3], ["a"][0])';
  yield 'try(lookup({}, "k"), "d")';
  yield 'try({}.a, [].b)';
  yield 'try()';
  yield 'can(cidrsubnet("10.0.0.0/8", 30, 1))';
  yield 'can(regex("^[a-z]+$", "abc"))';
  yield 'can(regex("^[a-z]+$", "ABC"))';
  yield 'can(1 / 0)';
  yield 'can(local.nested.a.missing)';
  yield 'can(var.nothing.x)';
  yield 'sensitive("x")';
  yield '[sensitive(1), 2]';
  yield 'length(sensitive([1, 2]))';
  yield 'var.secret';
  yield 'upper(var.secret)';
  yield 'length(var.secret)';
  yield 'nonsensitive(var.secret)';
  for (const v of ['var.obj_defaults', 'var.rules', 'var.ports', 'var.port_set', 'var.nothing', 'var.untyped', 'var.tuple_typed', 'var.any_list']) {
    yield v;
    yield `type(${v})`;
    yield `jsonencode(${v})`;
  }
  yield 'var.obj_defaults.nested.cidrs';
  yield 'var.obj_defaults.port == null';
  yield 'var.rules["ssh"].to';
  yield 'var.rules.dns.protocol';
  yield 'coalesce(var.rules.ssh.to, var.rules.ssh.from)';
  yield '{ for k, r in var.rules : k => coalesce(r.to, r.from) }';
  yield '[for k, r in var.rules : "${r.protocol}/${r.from}" if length(r.cidrs) > 0]';
  yield 'flatten([for k, r in var.rules : [for c in r.cidrs : { key = "${k}-${c}", cidr = c }]])';
  yield 'var.port_set[0]';
  yield '[for p in var.port_set : p]';
  yield 'var.nothing == null';
  yield 'var.nothing == ""';
}

function* structures() {
  const colls = ['[1, 2, 3]', '["a", "b"]', '{ a = 1, b = 2 }', '{ b = "x", a = "y" }', 'toset(["b", "a", "b"])', 'tolist(["x"])', '[]', '{}', 'local.cidrs', 'local.names', 'var.rules', 'null', '"str"'];
  for (const c of colls) {
    yield `[for x in ${c} : x]`;
    yield `[for k, v in ${c} : k]`;
    yield `[for k, v in ${c} : "${'$'}{k}=${'$'}{v}"]`;
    yield `{ for k, v in ${c} : k => v }`;
    yield `{ for k, v in ${c} : v => k... }`;
    yield `[for x in ${c} : x if x != "a"]`;
    yield `length([for x in ${c} : x])`;
  }
  yield '[for i, x in ["a", "b"] : i * 10]';
  yield '{ for x in ["a", "b", "a"] : x => x }';
  yield '{ for x in ["a", "b", "a"] : x => x... }';
  yield '{ for i, x in ["a", "b"] : x => i if i > 0 }';
  yield '[for x in [1, 2, 3] : x if x]';
  yield '[for x in [1, 2, 3] : x if x > "1"]';
  yield '{ for x in [1, 2] : x => x }';
  yield '{ for x in [true] : x => x }';
  yield '{ for x in [[1]] : x => x }';
  yield '{ for x in [null] : x => 1 }';
  yield '[for x in [[1, 2], [3]] : [for y in x : y * 2]]';
  yield '[for x in range(3) : [for y in range(x) : "${x}${y}"]]';
  yield 'flatten([for x in ["a", "b"] : [for y in [1, 2] : "${x}${y}"]])';
  yield '{ for x in ["a", "b"] : x => { for y in [1, 2] : y => "${x}${y}" } }';
  yield '[for k, v in { z = 1, a = 2, m = 3 } : k]';
  yield 'local.nested.list[*].id';
  yield 'local.nested.list[*].tags[0]';
  yield 'local.nested.list.*.id';
  yield 'local.nested.list[0].tags[1]';
  yield 'local.nested.a.b.c[1]';
  yield 'local.nested["a"]["b"].c';
  yield 'local.nested.a.b.c.1';
  yield 'local.nested.list[*]';
  yield 'local.nested.missing';
  yield 'local.nested.a[0]';
  yield 'local.cidrs[3]';
  yield 'local.cidrs[-1]';
  yield 'local.cidrs["1"]';
  yield 'local.cidrs[1.5]';
  yield 'local.names["web"]';
  yield 'local.names.db';
  yield 'local.names[*]';
  yield '[{ a = 1 }, { a = 2 }][*].a';
  yield '[{ a = 1 }, { b = 2 }][*].a';
  yield '[{ a = [1, 2] }, { a = [3] }][*].a[0]';
  yield '{ a = 1 }[*].a';
  yield 'null[*].a';
  yield '"str"[*]';
  yield 'toset(["b", "a"])[*]';
  yield 'toset(["b", "a"])[0]';
  yield 'tolist(["a"])[*]';
  yield '[[1, 2], [3, 4]][*][0]';
  yield '[1, 2].0';
  yield '{ a = 1, "b" = 2, (upper("c")) = 3 }';
  yield '{ a = 1, a = 2 }';
  yield '{ (null) = 1 }';
  yield '{ 1 = "one" }';
  yield '{ a : 1, b : 2 }';
  yield '[1, 2, 3,]';
  yield '{ a = 1, }';
  yield 'local.empty';
  yield 'local.empty[0]';
}

function* templates() {
  yield '"plain"';
  yield '"a${1 + 1}b"';
  yield '"${1}"';
  yield '"${true}"';
  yield '"${"x"}${"y"}"';
  yield '"${null}"';
  yield '"x${null}"';
  yield '"x${[1]}"';
  yield '"x${1.5}"';
  yield '"x${1e20}"';
  yield '"x${0.1 + 0.2}"';
  yield '"x${true}"';
  yield '"$${literal}"';
  yield '"%%{literal}"';
  yield '"a$b"';
  yield '"%{if true}yes%{else}no%{endif}"';
  yield '"%{if false}yes%{else}no%{endif}"';
  yield '"%{if "true"}yes%{endif}"';
  yield '"%{if 1}yes%{endif}"';
  yield '"%{for x in ["a", "b"]}${x},%{endfor}"';
  yield '"%{for i, x in ["a", "b"]}${i}=${x};%{endfor}"';
  yield '"%{for k, v in { b = 2, a = 1 }}${k}${v}%{endfor}"';
  yield '"%{for x in []}never%{endfor}"';
  yield '"a ${~ "b" ~} c"';
  yield '"a %{~ if true ~} b %{~ endif ~} c"';
  yield '"%{ for x in [1, 2] ~} ${x} %{~ endfor }"';
  yield '"\\u00e9\\t\\"q\\"\\\\"';
  yield '"\\U0001F600"';
  yield '"${upper("x")}-${length([1, 2])}"';
  yield '"${local.names["web"]}"';
  yield '"${local.cidrs}"';
  yield '"${var.secret}"';
  yield '"prefix-${var.secret}"';
  yield 'local.heredoc';
  yield 'local.indented';
  yield 'local.stripped';
  yield 'local.doc';
  yield 'jsondecode(local.doc)';
  yield 'file("hello.txt")';
  yield 'file("missing.txt")';
  yield 'fileexists("hello.txt")';
  yield 'fileexists("missing.txt")';
  yield 'templatefile("rule.tpl", { name = "web", ports = [22, 443] })';
  yield 'templatefile("rule.tpl", { name = "web" })';
  yield 'templatefile("rule.tpl", { name = "x", ports = [] })';
  yield 'templatefile("missing.tpl", {})';
  yield 'upper(file("hello.txt"))';
  yield 'split("\\n", chomp(file("hello.txt")))';
}

function* errors() {
  yield 'nosuchfunction(1)';
  yield 'upper()';
  yield 'upper("a", "b")';
  yield 'upper(null)';
  yield 'length(null)';
  yield '"a" + 1';
  yield '[1] + 1';
  yield '{}.a';
  yield '[].a';
  yield '"s".a';
  yield 'null.a';
  yield '[1, 2][2]';
  yield 'true ? null : 1';
  yield 'null ? 1 : 2';
  yield '"x" ? 1 : 2';
  yield '[for x in 1 : x]';
  yield 'tolist({ a = 1 })';
  yield 'tomap([1])';
  yield 'tonumber("abc")';
  yield 'tobool("yes")';
  yield 'tobool(1)';
  yield 'tostring([1])';
  yield 'cidrhost("10.0.0.0/30", 4)';
  yield 'cidrsubnet("10.0.0.0/8", 30, 1)';
  yield 'cidrsubnet("10.0.0.0/24", 2, 4)';
  yield 'cidrnetmask("fd00::/8")';
  yield 'index(["a"], "b")';
  yield 'element([], 1)';
  yield 'keys([1])';
  yield 'values("x")';
  yield 'jsondecode("{bad")';
  yield 'base64decode("%%%")';
  yield 'regex("(", "x")';
  yield 'zipmap(["a"], [])';
  yield 'sum(["x"])';
  yield 'format("%d", "x")';
  yield 'range(1, 2, 0)';
  yield 'abs("x")';
  yield '1 % 0';
  yield '0 / 0';
  yield 'var.undeclared';
  yield 'local.undeclared';
  yield 'transpose({ a = [1, [2]] })';
  yield 'flatten("x")';
  yield 'parseint("12", 1)';
  yield 'slice([1], -1, 1)';
  yield '[for x in [1] : x...]';
  yield 'setproduct()';
}

/**
 * Regular expressions are RE2 (Go's regexp) in Terraform: linear time whatever the pattern, its own syntax (POSIX
 * classes, \Q..\E, (?U), \pL) and Go's rules for empty matches, unmatched groups and `$name` in replacements.
 */
function* regexSemantics() {
  const a40 = 'a'.repeat(40);
  yield String.raw`regex("^(a+)+$", "${a40}!")`;
  yield String.raw`can(regex("^(a|aa)+$", "${a40}!"))`;
  yield String.raw`length(regexall("(a*)*b", "${a40}"))`;
  yield String.raw`replace("${a40}!", "/(a+)+$/", "x")`;
  yield String.raw`replace("${a40}!", "/^(a|a)*$/", "x")`;
  yield String.raw`regexall("a*", "baaac")`;
  yield String.raw`regexall("", "abc")`;
  yield String.raw`regexall("x*", "é😀")`;
  yield String.raw`replace("baaac", "/a*/", "-")`;
  yield String.raw`replace("abc", "/x*/", "-")`;
  yield String.raw`replace("é😀", "/x*/", "-")`;
  yield String.raw`regex("(a)(b)?", "a")`;
  yield String.raw`regex("(?P<x>a)(?P<y>b)?", "a")`;
  yield String.raw`regex("(?P<x>a)(b)", "ab")`;
  yield String.raw`regex("((a)|b)+", "ab")`;
  yield String.raw`regexall("(a)|(b)", "ab")`;
  yield String.raw`replace("ab", "/(a)(b)/", "$2$1")`;
  yield String.raw`replace("ab", "/(a)(b)/", "$1x")`;
  yield 'replace("ab", "/(a)(b)/", "$${1}x")';
  yield String.raw`replace("ab", "/(?P<first>a)b/", "[$first]")`;
  yield 'replace("ab", "/(?P<first>a)b/", "[$${first}]")';
  yield String.raw`replace("ab", "/a/", "$$")`;
  yield String.raw`replace("ab", "/a/", "$!")`;
  yield String.raw`replace("ab", "/a/", "$")`;
  yield String.raw`replace("ab", "/(a)/", "$9")`;
  yield String.raw`replace("ab", "/(a)/", "$<1>")`;
  yield String.raw`replace("a.b", "/./", "x")`;
  yield String.raw`replace("aaa", "/a/", "\\")`;
  yield String.raw`regex("(?i)ABC", "xabcx")`;
  yield String.raw`regex("\\pL+", "123héllo")`;
  yield String.raw`regex("\\p{Greek}+", "abc αβγ")`;
  yield String.raw`regexall(".", "é😀")`;
  yield String.raw`regex("[[:digit:]]+", "ab12")`;
  yield String.raw`regex("[[:^alpha:]]+", "ab12")`;
  yield String.raw`regex("\\Q.*\\E", "a.*b")`;
  yield String.raw`can(regex("a.c", "a\nc"))`;
  yield String.raw`regex("(?s)a.c", "a\nc")`;
  yield String.raw`regex("a+?", "aaa")`;
  yield String.raw`regex("(?U)a+", "aaa")`;
  yield String.raw`regex("(?U)a+?", "aaa")`;
  yield String.raw`can(regex("^b", "a\nb"))`;
  yield String.raw`regex("(?m)^b", "a\nb")`;
  yield String.raw`regex("b\\z", "ab")`;
  yield String.raw`regex("\\Ab", "bb")`;
  yield String.raw`regex("\\bb\\w*", "a bc")`;
  yield String.raw`regex("\\x{e9}", "café")`;
  yield String.raw`regex("\\d+", "١٢3")`;
  yield String.raw`regex("\\s+", "a\u00a0 b")`;
  yield String.raw`regex("a(?=b)", "ab")`;
  yield String.raw`regex("(a)\\1", "aa")`;
  yield String.raw`regex("a{1001}", "a")`;
  yield String.raw`regex("a{2,1}", "a")`;
  yield String.raw`regex("[z-a]", "a")`;
  yield String.raw`regex("(?P<n>a)(?P<n>b)", "ab")`;
  yield String.raw`regex("x**", "x")`;
  yield String.raw`regex("\\8", "8")`;
  yield String.raw`regex("\\C", "a")`;
  yield String.raw`regexall("(?P<k>\\w+)=(?P<v>\\d+)", "a=1 b=22")`;
  yield String.raw`regex("^(\\d+)-(\\d+)$", "22-80")[1]`;
  yield String.raw`regex("[^a]", "aé")`;
  yield String.raw`regexall("\\bb", "ab b bb")`;
  yield String.raw`regexall("^a", "aaa")`;
  yield String.raw`regexall("(?m)^a|b$", "ab\nab")`;
  yield String.raw`replace("aXbXc", "/(?i)x/", "$0$0")`;
  yield String.raw`replace("a-b", "/(?P<l>\\w)-(?P<r>\\w)/", "$r-$l")`;
  yield String.raw`regex(".", "\u0000x")`;
}

/** Every expression of the differential test, deduplicated, in a stable order. */
export function expressions() {
  const out = [];
  const seen = new Set();
  for (const gen of [operators, numbers, numberForms, strings, formats, numeric, collections, encoding, ipnet, types, structures, templates, errors, regexSemantics]) {
    for (const e of gen()) {
      if (seen.has(e)) continue;
      seen.add(e);
      out.push({ group: gen.name, expr: e });
    }
  }
  return out;
}
