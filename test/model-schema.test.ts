// The model document (`sg-lint model PATHS --format json`) validates against schemas/model.schema.json for every
// fixture and every input of the shared corpus (../shared/corpus, skipped with a notice when absent).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { readModel } from '../src/engine/model';
import { MODEL_DOCUMENT_VERSION, MODEL_SCHEMA_ID, modelDocument } from '../src/model/document';
import { runCli } from './helpers/cli';

const ROOT = path.resolve(__dirname, '..');
const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'model.schema.json'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

/** The first few schema errors, with the value at fault, in a readable form. */
function problems(doc: unknown): string[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

async function documentOf(paths: string[], cwd: string): Promise<unknown> {
  const model = await readModel(paths, { cwd, config: false });
  // Through JSON text, as a consumer reads it.
  return JSON.parse(JSON.stringify(modelDocument(model.inputs, model.errors, model.notices, '0.0.0')));
}

describe('schemas/model.schema.json', () => {
  it('is versioned and names itself as the document does', () => {
    expect(schema.$id).toBe(MODEL_SCHEMA_ID);
    expect((schema.properties as Record<string, { const?: number }>).version?.const).toBe(MODEL_DOCUMENT_VERSION);
  });

  it('describes the model of every fixture', async () => {
    const doc = (await documentOf(['fixtures', 'examples'], ROOT)) as { inputs: { groups: unknown[] }[] };
    expect(doc.inputs.length).toBeGreaterThan(150);
    expect(problems(doc)).toEqual([]);
  });

  it('rejects a document that breaks the contract', async () => {
    const doc = (await documentOf(['examples/three-tier'], ROOT)) as { inputs: { groups: { ingress: { peer: unknown }[] }[] }[] };
    const rule = doc.inputs[0]?.groups[0]?.ingress[0];
    expect(problems(doc)).toEqual([]);
    if (rule) rule.peer = { known: true, value: { kind: 'cidr', cidr: '0.0.0.0/0' } };
    expect(problems(doc).length).toBeGreaterThan(0);
  });

  const corpusIt = existsSync(CORPUS) ? it : it.skip;
  if (!existsSync(CORPUS)) console.log(`model-schema.test.ts: ${CORPUS} not found; corpus validation skipped`);
  corpusIt('describes the model of every corpus input', async () => {
    const doc = (await documentOf(['.'], CORPUS)) as { inputs: unknown[] };
    expect(doc.inputs.length).toBeGreaterThan(100);
    expect(problems(doc)).toEqual([]);
  });
});

describe('sg-lint model', () => {
  it('prints the model of CloudFormation and Terraform alike, with unknowns listed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sg-lint-model-'));
    writeFileSync(
      path.join(dir, 'a.yaml'),
      'Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: !ImportValue AdminCidr\n',
    );
    writeFileSync(
      path.join(dir, 'b.tf'),
      'resource "aws_security_group" "web" {\n  description = "web"\n  ingress {\n    protocol    = "tcp"\n    from_port   = 22\n    to_port     = 22\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
    );
    const run = await runCli(['model', '.'], dir);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { inputs: { file: string; format: string; groups: { address: string; ingress: { peer: unknown; ports: unknown }[] }[]; unknowns: unknown[] }[] };
    expect(problems(doc)).toEqual([]);
    expect(doc.inputs.map((i) => [i.file, i.format])).toEqual([
      ['a.yaml', 'cloudformation-yaml'],
      ['b.tf', 'terraform-hcl'],
    ]);
    const [cfn, tf] = doc.inputs;
    expect(cfn?.groups[0]?.ingress[0]?.peer).toEqual({ known: false, reason: 'Fn::ImportValue AdminCidr' });
    expect(cfn?.unknowns).toEqual([
      { resource: 'Sg', securityGroup: 'Sg', field: 'ingress.peer', reason: 'Fn::ImportValue AdminCidr', location: expect.objectContaining({ file: 'a.yaml', line: 10 }) },
    ]);
    expect(tf?.groups[0]?.address).toBe('aws_security_group.web');
    expect(tf?.groups[0]?.ingress[0]?.peer).toEqual({ known: true, value: { kind: 'cidr', family: 4, cidr: '0.0.0.0/0', raw: '0.0.0.0/0', prefix: 0 } });
    expect(tf?.groups[0]?.ingress[0]?.ports).toEqual({ known: true, value: { from: 22, to: 22 } });
  });

  it('exits 2 for an input it cannot read, still printing the others, and for a bad format', async () => {
    const run = await runCli(['model', 'examples/three-tier', 'no-such-file.yaml'], ROOT);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('no-such-file.yaml: error: no such file or directory\n');
    const doc = JSON.parse(run.stdout) as { inputs: unknown[]; errors: unknown[] };
    expect(doc.inputs).toHaveLength(1);
    expect(doc.errors).toEqual([{ file: 'no-such-file.yaml', message: 'no such file or directory' }]);
    const bad = await runCli(['model', '--format', 'sarif', '.'], ROOT);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^sg-lint model: --format must be json \(got "sarif"\)\n/);
    const mistyped = await runCli(['model', '--outptu', 'x.json', '.'], ROOT);
    expect(mistyped.code).toBe(2);
    expect(mistyped.stderr).toBe('sg-lint model: unknown option --outptu; did you mean "--output"?\nRun "sg-lint model --help" for usage.\n');
  });
});
