// Issue #13, "the same mistake the same in every format": what `terraform validate` refuses (recorded by
// fixtures/cloudformation/deploy-errors/terraform/regenerate.sh) is an error-level finding of sg-lint on the same
// resource, as the same mistake in a CloudFormation template is (fixtures/cloudformation/deploy-errors/*.cfn.*).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { lint } from '../src/engine/lint';

const ROOT = path.resolve(__dirname, '..');
const DIR = 'fixtures/cloudformation/deploy-errors/terraform';

interface Diagnostic {
  severity: string;
  summary: string;
  address?: string;
  range: { start: { line: number } };
}

/** The resource address whose block holds `line` (validate omits the address for a missing argument). */
function enclosing(text: string, line: number): string | undefined {
  let found: string | undefined;
  for (const [i, l] of text.split('\n').entries()) {
    if (i + 1 > line) break;
    const m = /^resource "([^"]+)" "([^"]+)"/.exec(l);
    if (m) found = `${m[1]}.${m[2]}`;
  }
  return found;
}

describe.each(readdirSync(path.join(ROOT, DIR)).filter((n) => !n.includes('.')))('terraform validate vs sg-lint: %s', (name) => {
  it('reports an error on every resource terraform validate refuses', async () => {
    const file = `${DIR}/${name}/main.tf`;
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    const record = JSON.parse(readFileSync(path.join(ROOT, DIR, name, 'validate.json'), 'utf8')) as { valid: boolean; diagnostics: Diagnostic[] };
    expect(record.valid).toBe(false);
    const refused = record.diagnostics.filter((d) => d.severity === 'error').map((d) => d.address ?? enclosing(text, d.range.start.line));
    const result = await lint([file], { cwd: ROOT, config: false });
    expect(result.errors).toEqual([]);
    const erring = new Set(result.findings.filter((f) => f.severity === 'error' && /^invalid-/.test(f.ruleId)).map((f) => f.resource));
    expect(refused.length).toBeGreaterThan(0);
    for (const address of refused) expect([address, erring.has(address ?? '')]).toEqual([address, true]);
  });
});
