import { REPORTERS } from '../../src/reporters';
import type { Finding, LintResult } from '../../src/engine/types';
import { cleanResult, context, escapingResult, RULES, sampleResult } from './fixtures';

const text = REPORTERS.text;

/** A result with one finding in `file`, for code-frame cases. */
function single(finding: Partial<Finding>, file = 'x.yaml'): LintResult {
  return {
    findings: [
      {
        ruleId: 'open-admin-port',
        severity: 'error',
        message: 'm',
        file,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 2,
        resource: 'Sg',
        fingerprint: 'fp',
        ...finding,
      },
    ],
    errors: [],
    notices: [],
    files: [file],
    rules: [...RULES],
  };
}

const SAMPLE = `infra/db.tf
  3:3   note     Egress rule of aws_security_group.db has no description  rule-missing-description
    resource: aws_security_group.db
    3 |   egress {
      |   ^^^^^^^^
  7:20  warning  Egress to 0.0.0.0/0 on all protocols  unrestricted-egress
    resource: aws_security_group.db, introduced by this change
    7 |     cidr_blocks = ["0.0.0.0/0"]
      |                    ^^^^^^^^^^^

infra/web.yaml
  10:19  error    Ingress from 0.0.0.0/0 reaches tcp/22 (SSH)  open-admin-port
    resource: WebSg, construct: App/WebStack/WebSg/Resource
    10 |           CidrIp: 0.0.0.0/0
       |                   ^^^^^^^^^

infra/broken.json:4:3: error: Unexpected token } in JSON

\u2716 3 problems (1 error, 1 warning, 1 note), 1 input error in 3 files (1 suppressed)
`;

describe('text reporter', () => {
  it('groups unsuppressed findings by file with code frames, then input errors and the summary', () => {
    expect(text(context(sampleResult()))).toBe(SAMPLE);
  });

  it('prints notices only when verbose', () => {
    const verbose = text(context(sampleResult(), { verbose: true }));
    expect(verbose).toBe(
      SAMPLE.replace(
        'JSON\n\n',
        'JSON\n\ninfra/web.yaml:1:1: notice: Skipped 2 unsupported resources\n\n',
      ),
    );
  });

  it('omits code frames when the source is unavailable', () => {
    const out = text(context(sampleResult(), { source: () => undefined }));
    expect(out).not.toContain(' | ');
    expect(out).toContain('  10:19  error    Ingress from 0.0.0.0/0 reaches tcp/22 (SSH)  open-admin-port\n');
  });

  it('says so when there are no problems, counting files', () => {
    expect(text(context(cleanResult()))).toBe('\u2714 No problems found in 2 files\n');
    const one: LintResult = { ...cleanResult(), files: ['a.yaml'] };
    expect(text(context(one))).toBe('\u2714 No problems found in 1 file\n');
  });

  it('counts suppressed findings even when nothing else is reported', () => {
    const result = sampleResult();
    result.findings = result.findings.filter((f) => f.suppression);
    result.errors = [];
    expect(text(context(result))).toBe('\u2714 No problems found in 3 files (1 suppressed)\n');
  });

  it('shows line breaks and control characters of input text escaped, one line per finding or error', () => {
    expect(text(context(escapingResult()))).toBe(
      [
        'infra/a,b:c.yaml',
        '  2:1  warning  50% of "rules" <open> & more\\nsecond line  open-admin-port',
        '    resource: Sg<&>"x"',
        '',
        'infra/bad.yaml: error: Bad <tag> & 100%\\r\\nnext',
        '',
        '\u2716 1 problem (0 errors, 1 warning, 0 notes), 1 input error in 2 files',
        '',
      ].join('\n'),
    );
    const evil = single({ message: 'a\u001b[31mred' });
    expect(text(context(evil, { source: () => undefined }))).toContain('a\\x1b[31mred');
  });

  it('prints an input error with only the position it knows', () => {
    const result: LintResult = {
      ...cleanResult(),
      errors: [
        { file: 'a.json', message: 'cannot read' },
        { file: 'b.json', message: 'bad', line: 7 },
      ],
    };
    expect(text(context(result))).toBe(
      'a.json: error: cannot read\nb.json:7: error: bad\n\n\u2716 2 input errors in 2 files\n',
    );
  });

  it('underlines one caret for an empty range and keeps tabs aligned', () => {
    const out = text(context(single({ line: 2, column: 3, endLine: 2, endColumn: 3 }), { source: () => 'a\n\tb: c\n' }));
    expect(out).toContain('    2 | \tb: c\n      | \t ^\n');
  });

  it('shows a window of a long line with the caret under the right column', () => {
    const line = `${'x'.repeat(300)}0.0.0.0/0${'y'.repeat(300)}`;
    const out = text(context(single({ column: 301, endColumn: 310 }), { source: () => line }));
    const frame = out.split('\n').filter((l) => l.includes(' | '));
    expect(frame).toHaveLength(2);
    const [code, carets] = frame as [string, string];
    expect(code.startsWith('    1 | ...')).toBe(true);
    expect(code.endsWith('...')).toBe(true);
    const at = carets.indexOf('^');
    expect(code.slice(at, at + 9)).toBe('0.0.0.0/0');
    expect(carets.slice(at)).toBe('^^^^^^^^^');
  });

  it('underlines to the end of the line when the range spans lines', () => {
    const out = text(context(single({ line: 1, column: 4, endLine: 2, endColumn: 1 }), { source: () => 'a: bcd   \nx' }));
    expect(out).toContain('    1 | a: bcd   \n      |    ^^^\n');
  });

  it('colors only when asked, and the colors wrap exactly the plain text', () => {
    const plain = text(context(sampleResult()));
    expect(plain).not.toContain('\u001b[');
    const colored = text(context(sampleResult(), { color: true }));
    expect(colored).toContain('\u001b[31merror  \u001b[39m');
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });

  it('is deterministic and ignores the order of result.rules', () => {
    const reversed = sampleResult();
    reversed.rules.reverse();
    expect(text(context(sampleResult()))).toBe(text(context(sampleResult())));
    expect(text(context(reversed))).toBe(text(context(sampleResult())));
  });
});
