import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCloudAssembly } from '../../src/parsers/cdk';
import { parseCloudFormation } from '../../src/parsers/cloudformation';

const SHARED = resolve(__dirname, '../../../shared');
const CORPUS = join(SHARED, 'corpus');
const available = existsSync(join(CORPUS, 'MANIFEST.json'));
if (!available) console.log(`corpus tests skipped: ${CORPUS} not found`);

interface Entry {
  file: string;
  format: string;
  role: string;
}

const entries: Entry[] = available ? (JSON.parse(readFileSync(join(CORPUS, 'MANIFEST.json'), 'utf8')) as Entry[]) : [];
const templates = entries.filter((e) => e.format === 'cloudformation-yaml' || e.format === 'cloudformation-json');
const assemblies = [...new Set(entries.filter((e) => e.format === 'cdk-out' && e.role === 'cdk-manifest').map((e) => e.file.replace(/\/manifest\.json$/, '')))];

(available ? describe : describe.skip)('CloudFormation and CDK parsers on the shared corpus', () => {
  it('finds the corpus inputs', () => {
    expect(templates.length).toBeGreaterThan(200);
    expect(assemblies).toHaveLength(3);
  });

  it('parses every CloudFormation input without exceptions or errors', () => {
    const failures: string[] = [];
    let groups = 0;
    for (const e of templates) {
      const input = parseCloudFormation(readFileSync(join(CORPUS, e.file), 'utf8'), e.file);
      expect(input.format).toBe(e.format);
      for (const err of input.errors) failures.push(`${e.file}:${err.line ?? 0}:${err.column ?? 0} ${err.message}`);
      groups += input.groups.length;
    }
    expect(failures).toEqual([]);
    expect(groups).toBeGreaterThan(300);
  });

  it('reads every cdk.out assembly with construct paths for its groups', () => {
    for (const dir of assemblies) {
      const inputs = parseCloudAssembly(join(CORPUS, dir));
      expect(inputs.length).toBeGreaterThan(0);
      expect(inputs.flatMap((i) => i.errors)).toEqual([]);
      for (const g of inputs.flatMap((i) => i.groups)) expect(g.constructPath).toEqual(expect.stringMatching(/\//));
    }
  });

  it('reads the world-open SSH rules the corpus notes for the Beam taxi assembly', () => {
    const inputs = parseCloudAssembly(join(CORPUS, 'aws-samples__amazon-kinesis-analytics-beam-taxi-consumer/cdk/cdk.out'));
    const complete = inputs.find((i) => i.file.endsWith('BeamTaxiCount-Complete.template.json'));
    const sg = complete?.groups.find((g) => g.address === 'EmrInfrastructureSecurityGroupC050C542');
    const ssh = sg?.ingress.filter((r) => r.ports.known && r.ports.value?.from === 22);
    expect(ssh?.map((r) => (r.peer.known && r.peer.value.kind === 'cidr' ? r.peer.value.cidr : '?'))).toEqual(['0.0.0.0/0']);
  });
});
