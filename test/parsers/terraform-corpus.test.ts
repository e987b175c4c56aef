import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ParsedInput } from '../../src/model/types';
import { parseTerraformHcl, parseTerraformJson, parseTerraformPlan } from '../../src/parsers/terraform';
import { ROOT } from './terraform-helpers';

const SHARED = resolve(ROOT, '..', 'shared');
const CORPUS = join(SHARED, 'corpus');
const present = existsSync(join(CORPUS, 'MANIFEST.json'));
if (!present) console.log(`terraform corpus test skipped: ${CORPUS} is absent`);

interface Entry {
  file: string;
  format: string;
  role: string;
}

const FORMATS = ['terraform-plan-json', 'terraform-json', 'terraform-hcl'];
const entries: Entry[] = present
  ? (JSON.parse(readFileSync(join(CORPUS, 'MANIFEST.json'), 'utf8')) as Entry[]).filter((e) => e.role === 'input' && FORMATS.includes(e.format))
  : [];

(present ? describe : describe.skip)('Terraform corpus (/work/shared/corpus)', () => {
  test('has inputs of all three Terraform formats', () => {
    for (const f of FORMATS) expect(entries.some((e) => e.format === f)).toBe(true);
  });

  test.each(entries.map((e) => [e.format, e.file] as const))('%s %s parses without errors', async (format, file) => {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    let inputs: ParsedInput[];
    if (format === 'terraform-plan-json') inputs = [parseTerraformPlan(text, file)];
    else if (format === 'terraform-json') inputs = parseTerraformJson([{ file, text }], { cwd: CORPUS });
    else inputs = await parseTerraformHcl([{ file, text }], { cwd: CORPUS });
    expect(inputs.flatMap((i) => i.errors)).toEqual([]);
    expect(inputs.map((i) => i.file)).toEqual([file]);
  });

  test('finds the groups the peers name (spot checks)', async () => {
    const file = 'checkov/tests/terraform/checks/resource/aws/example_SecurityGroupUnrestrictedIngress22/main.tf';
    const [r] = await parseTerraformHcl([{ file, text: readFileSync(join(CORPUS, file), 'utf8') }], { cwd: CORPUS });
    const fail = r?.groups.find((g) => g.address === 'aws_security_group.fail');
    const world22 = fail?.ingress.some(
      (x) => x.peer.known && x.peer.value.kind === 'cidr' && x.peer.value.prefix === 0 && x.ports.known && x.ports.value?.from === 22,
    );
    expect(world22).toBe(true);
  });
});
