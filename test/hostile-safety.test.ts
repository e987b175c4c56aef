// Inputs never execute or construct anything: custom YAML tags build plain data, keys such as `__proto__` and
// `constructor` stay data, and the source holds no eval, no Function constructor, no vm and no network module.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lint } from '../src/engine/lint';
import { parseCloudAssembly } from '../src/parsers/cdk';
import { parseCloudFormation } from '../src/parsers/cloudformation';

const POLLUTING_YAML = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  '__proto__: {polluted: yes}',
  'constructor: {prototype: {polluted: yes}}',
  'Parameters:',
  '  __proto__: {Type: String, Default: 10.0.0.0/8}',
  'Conditions:',
  '  constructor: !Equals [a, a]',
  'Mappings:',
  '  __proto__: {polluted: {value: yes}}',
  'Resources:',
  '  __proto__:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Condition: constructor',
  '    Metadata: {__proto__: {polluted: yes}}',
  '    Properties:',
  '      GroupDescription: !!js/function "function () { globalThis.sgLintPwned = true }"',
  '      Tags: [!!js/undefined x, !!js/regexp /a/, !!binary aGVsbG8=, !!set {a, b}, !!omap [a: 1], !Custom {toString: 1}]',
  '      __proto__: {polluted: yes}',
  '      SecurityGroupIngress:',
  '        - __proto__: {polluted: yes}',
  '          constructor: {prototype: {polluted: yes}}',
  '          IpProtocol: tcp',
  '          FromPort: 22',
  '          ToPort: 22',
  '          CidrIp: !Ref __proto__',
  '  constructor:',
  '    Type: AWS::EC2::SecurityGroupIngress',
  '    Properties:',
  '      GroupId: !GetAtt __proto__.GroupId',
  '      IpProtocol: tcp',
  '      FromPort: 3389',
  '      ToPort: 3389',
  '      CidrIp: 0.0.0.0/0',
  '',
].join('\n');

const POLLUTING_JSON = JSON.stringify({
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: {
    Sg: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: { GroupDescription: 'x', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }] },
    },
  },
}).replace('{"Sg"', '{"__proto__": {"polluted": "yes", "Type": "AWS::EC2::SecurityGroup"}, "constructor": {"Type": "AWS::S3::Bucket", "prototype": {"polluted": 1}}, "Sg"');

function prototypeSnapshot(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join(','));
}

describe('inputs never change objects or run code', () => {
  const before = prototypeSnapshot();

  afterEach(() => {
    expect(prototypeSnapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((globalThis as Record<string, unknown>).sgLintPwned).toBeUndefined();
  });

  it('reads __proto__ and constructor as ordinary logical IDs, parameters and conditions', () => {
    const input = parseCloudFormation(POLLUTING_YAML, 'proto.yaml');
    expect(input.errors).toEqual([]);
    const group = input.groups.find((g) => g.address === '__proto__');
    expect(group?.ingress.map((r) => (r.peer.known && r.peer.value.kind === 'cidr' ? r.peer.value.cidr : r.peer))).toEqual(['10.0.0.0/8', '0.0.0.0/0']);
    expect(group?.ingress.map((r) => r.resource)).toEqual(['__proto__', 'constructor']);
    expect(group?.description).toEqual({ known: true, value: 'function () { globalThis.sgLintPwned = true }' });
    expect(input.notices.map((n) => n.message)).toEqual(['unknown YAML tag !Custom']);
  });

  it('reads a JSON __proto__ key as data', () => {
    const input = parseCloudFormation(POLLUTING_JSON, 'proto.json');
    expect(input.errors).toEqual([]);
    expect(input.groups.map((g) => g.address)).toEqual(['__proto__', 'Sg']);
  });

  it('lints such files end to end, through the engine and a cloud assembly manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-lint-proto-'));
    try {
      writeFileSync(join(dir, 'proto.yaml'), POLLUTING_YAML);
      writeFileSync(join(dir, 'proto.json'), POLLUTING_JSON);
      const result = await lint(['.'], { cwd: dir, config: false });
      expect(result.errors).toEqual([]);
      expect(result.findings.filter((f) => f.ruleId === 'open-admin-port').map((f) => `${f.file}:${f.line} ${f.resource}`)).toEqual([
        'proto.json:1 Sg',
        'proto.yaml:33 constructor',
      ]);
      writeFileSync(join(dir, 'manifest.json'), '{"__proto__": {"polluted": 1}, "artifacts": {"__proto__": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "proto.json"}}}}');
      const cdk = parseCloudAssembly(dir);
      expect(cdk.map((i) => i.file)).toEqual([join(dir, 'proto.json')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Every .ts file under src. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the source never evaluates code or reaches the network', () => {
  const files = sources(join(__dirname, '..', 'src'));

  it.each([
    ['eval', /\beval\s*\(/],
    ['the Function constructor', /\bnew\s+Function\s*\(|\bFunction\s*\(\s*['"`]/],
    ['the vm module', /(\bfrom\s+|\brequire\(\s*|\bimport\(\s*)['"](node:)?vm['"]/],
    ['network modules', /(\bfrom\s+|\brequire\(\s*|\bimport\(\s*)['"](node:)?(https?|http2|net|tls|dgram|dns)['"]/],
    ['fetch and sockets', /\bfetch\s*\(|\bWebSocket\b|\bXMLHttpRequest\b/],
  ])('no %s in src', (_what, pattern) => {
    expect(files.length).toBeGreaterThan(20);
    // The one use of vm: the code cache compiles sg-lint's own bundle (checked below), never an input.
    const allowed = pattern.source.includes('vm') ? [join('cli', 'code-cache.ts')] : [];
    expect(files.filter((f) => pattern.test(readFileSync(f, 'utf8')) && !allowed.some((a) => f.endsWith(a)))).toEqual([]);
  });

  it('the code cache compiles only the bundle bin/sg-lint.js names, read from dist/', () => {
    const loader = readFileSync(join(__dirname, '..', 'src', 'cli', 'code-cache.ts'), 'utf8');
    // One Script, made from the text of the file it was given (the bundle), and loadBundle called by bin/ only.
    expect(loader.match(/new Script\(/g)).toHaveLength(1);
    expect(loader).toMatch(/const source = readFileSync\(bundle, 'utf8'\);/);
    expect(loader).toMatch(/new Script\(`\(function \(exports, require, module, __filename, __dirname\) \{ \$\{source\}\\n\}\)`/);
    expect(files.filter((f) => /\bloadBundle\(/.test(readFileSync(f, 'utf8')) && !f.endsWith(join('cli', 'code-cache.ts')))).toEqual([]);
    const bin = readFileSync(join(__dirname, '..', 'bin', 'sg-lint.js'), 'utf8');
    expect(bin).toMatch(/const bundle = join\(root, 'dist', 'sg-lint\.cjs'\);/);
    expect(bin).toMatch(/\.loadBundle\(bundle\)/);
  });
});
