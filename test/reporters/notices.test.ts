/**
 * Notices every report shows (InputNotice.visible: part of the input was not linted, e.g. a Terraform module that is
 * not installed) appear in every format, in that format's idiom, without --verbose; other notices do not.
 */
import type { LintResult } from '../../src/engine/types';
import { REPORTERS } from '../../src/reporters';
import type { CodeQualityIssue } from '../../src/reporters/gitlab';
import { cleanResult, context } from './fixtures';

const NOT_INSTALLED = 'module vpc (terraform-aws-modules/vpc/aws) is not installed: run terraform init';

function withNotices(): LintResult {
  const result = cleanResult();
  result.notices = [
    { file: 'infra/db.tf', message: NOT_INSTALLED, line: 12, column: 1, visible: true },
    { file: 'infra/web.yaml', message: 'Skipped 2 unsupported resources', line: 1, column: 1 },
  ];
  return result;
}

/** A visible notice whose text carries a terminal escape, a newline and characters each format escapes. */
function hostileNotice(): LintResult {
  const result = cleanResult();
  result.notices = [{ file: 'infra/db.tf', message: 'module a|b <x> is not installed\u001b[31m\nfake: line', line: 3, column: 2, visible: true }];
  return result;
}

describe('visible notices in every report', () => {
  it('markdown: counted in the headline and listed under "Not linted"', () => {
    const out = REPORTERS.markdown(context(withNotices()));
    expect(out).toContain('2 files linted: 0 errors, 0 warnings, 0 notes, 1 part not linted.\n');
    expect(out).toContain(`### Not linted\n\n- :warning: \`infra/db.tf:12:1\` ${NOT_INSTALLED}\n`);
    expect(out).not.toContain('Skipped 2 unsupported resources');
    const hostile = REPORTERS.markdown(context(hostileNotice()));
    expect(hostile).toContain('- :warning: `infra/db.tf:3:2` module a\\|b \\<x\\> is not installed\\\\x1b\\[31m fake: line\n');
    expect(hostile).not.toContain('\u001b');
  });

  it('github: a ::warning workflow command at the notice', () => {
    expect(REPORTERS.github(context(withNotices()))).toBe(`::warning file=infra/db.tf,line=12,col=1,title=sg-lint%3A not linted::${NOT_INSTALLED}\n`);
    const hostile = REPORTERS.github(context(hostileNotice()));
    expect(hostile).toBe('::warning file=infra/db.tf,line=3,col=2,title=sg-lint%3A not linted::module a|b <x> is not installed\\x1b[31m%0Afake: line\n');
  });

  it('junit: a skipped test case "not linted" in the file\'s suite, counted as skipped', () => {
    const out = REPORTERS.junit(context(withNotices()));
    expect(out).toContain('<testsuites name="sg-lint" tests="2" failures="0" errors="0" skipped="1">');
    expect(out).toContain(
      [
        '  <testsuite name="infra/db.tf" tests="1" failures="0" errors="0" skipped="1">',
        '    <testcase name="not linted" classname="infra/db.tf" file="infra/db.tf">',
        `      <skipped message="${NOT_INSTALLED}">infra/db.tf:12:1: warning: ${NOT_INSTALLED}</skipped>`,
        '    </testcase>',
        '  </testsuite>',
      ].join('\n'),
    );
    expect(out).not.toContain('Skipped 2 unsupported resources');
    const hostile = REPORTERS.junit(context(hostileNotice()));
    expect(hostile).toContain('<skipped message="module a|b &lt;x&gt; is not installed\\x1b[31m&#10;fake: line">');
    expect(hostile).not.toContain('\u001b');
  });

  it('gitlab: a minor Code Quality issue "not-linted" at the notice', () => {
    const issues = JSON.parse(REPORTERS.gitlab(context(withNotices()))) as CodeQualityIssue[];
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      description: `Not linted: ${NOT_INSTALLED}`,
      check_name: 'not-linted',
      severity: 'minor',
      location: { path: 'infra/db.tf', lines: { begin: 12 } },
    });
    expect(issues[0]!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('compact: a warning line tagged [not-linted] that is not counted as a problem', () => {
    expect(REPORTERS.compact(context(withNotices()))).toBe(`infra/db.tf:12:1: warning: ${NOT_INSTALLED} [not-linted]\n`);
    const hostile = REPORTERS.compact(context(hostileNotice()));
    expect(hostile).toBe('infra/db.tf:3:2: warning: module a|b <x> is not installed\\x1b[31m\\nfake: line [not-linted]\n');
  });

  it('text, json and sarif keep showing them', () => {
    expect(REPORTERS.text(context(withNotices()))).toContain(`infra/db.tf:12:1: warning: ${NOT_INSTALLED}`);
    expect(JSON.parse(REPORTERS.json(context(withNotices()))).notices).toEqual([{ file: 'infra/db.tf', message: NOT_INSTALLED, line: 12, column: 1 }]);
    expect(REPORTERS.sarif(context(withNotices()))).toContain(NOT_INSTALLED);
  });

  it('no visible notice: the reports are as before', () => {
    const clean = cleanResult();
    clean.notices = [{ file: 'infra/web.yaml', message: 'Skipped 2 unsupported resources' }];
    for (const format of ['markdown', 'github', 'junit', 'gitlab', 'compact'] as const) {
      expect(REPORTERS[format](context(clean))).toBe(REPORTERS[format](context(cleanResult())));
    }
  });
});
