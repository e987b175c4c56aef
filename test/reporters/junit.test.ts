import { REPORTERS } from '../../src/reporters';
import { escapeXmlAttr, escapeXmlText } from '../../src/reporters/junit';
import { cleanResult, context, escapingResult, sampleResult } from './fixtures';

const junit = REPORTERS.junit;

describe('junit reporter', () => {
  it('writes one suite per file, a failing case per finding at or above --fail-on (default error) and an error case per input error', () => {
    expect(junit(context(sampleResult()))).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="sg-lint" tests="4" failures="1" errors="1">
  <testsuite name="infra/broken.json" tests="1" failures="0" errors="1">
    <testcase name="input error" classname="infra/broken.json" file="infra/broken.json">
      <error message="Unexpected token } in JSON" type="input-error">infra/broken.json:4:3: error: Unexpected token } in JSON</error>
    </testcase>
  </testsuite>
  <testsuite name="infra/db.tf" tests="2" failures="0" errors="0">
    <testcase name="rule-missing-description aws_security_group.db (3:3)" classname="infra/db.tf" file="infra/db.tf">
      <system-out>infra/db.tf:3:3: note: Egress rule of aws_security_group.db has no description (rule-missing-description)
resource: aws_security_group.db</system-out>
    </testcase>
    <testcase name="unrestricted-egress aws_security_group.db (7:20)" classname="infra/db.tf" file="infra/db.tf">
      <system-out>infra/db.tf:7:20: warning: Egress to 0.0.0.0/0 on all protocols (unrestricted-egress)
resource: aws_security_group.db</system-out>
    </testcase>
  </testsuite>
  <testsuite name="infra/web.yaml" tests="1" failures="1" errors="0">
    <testcase name="open-admin-port WebSg (10:19)" classname="infra/web.yaml" file="infra/web.yaml">
      <failure message="Ingress from 0.0.0.0/0 reaches tcp/22 (SSH)" type="error">infra/web.yaml:10:19: error: Ingress from 0.0.0.0/0 reaches tcp/22 (SSH) (open-admin-port)
resource: WebSg
construct: App/WebStack/WebSg/Resource</failure>
    </testcase>
  </testsuite>
</testsuites>
`);
  });

  it('fails what --fail-on fails: everything at note, nothing at none', () => {
    const failures = (out: string): string[] => [...out.matchAll(/<failure message="[^"]*" type="(\w+)"/g)].map((m) => m[1] ?? '');
    expect(failures(junit({ ...context(sampleResult()), failOn: 'note' }))).toEqual(['note', 'warning', 'error']);
    expect(failures(junit({ ...context(sampleResult()), failOn: 'warning' }))).toEqual(['warning', 'error']);
    const none = junit({ ...context(sampleResult()), failOn: 'none' });
    expect(failures(none)).toEqual([]);
    expect(none).toContain('<testsuites name="sg-lint" tests="4" failures="0" errors="1">');
  });

  it('gives findings that would share a name distinct test names', () => {
    const result = sampleResult();
    const first = result.findings.find((f) => f.ruleId === 'open-admin-port')!;
    result.findings.push({ ...first, message: 'RDP as well', fingerprint: 'other' });
    const names = [...junit(context(result)).matchAll(/<testcase name="([^"]*)"/g)].map((m) => m[1]);
    expect(names).toContain('open-admin-port WebSg (10:19)');
    expect(names).toContain('open-admin-port WebSg (10:19) #2');
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives a clean file one passing test case', () => {
    expect(junit(context(cleanResult()))).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="sg-lint" tests="2" failures="0" errors="0">
  <testsuite name="infra/db.tf" tests="1" failures="0" errors="0">
    <testcase name="no findings" classname="infra/db.tf" file="infra/db.tf"/>
  </testsuite>
  <testsuite name="infra/web.yaml" tests="1" failures="0" errors="0">
    <testcase name="no findings" classname="infra/web.yaml" file="infra/web.yaml"/>
  </testsuite>
</testsuites>
`);
  });

  it('escapes <, &, >, quotes and line breaks', () => {
    expect(junit({ ...context(escapingResult()), failOn: 'warning' })).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="sg-lint" tests="2" failures="1" errors="1">
  <testsuite name="infra/a,b:c.yaml" tests="1" failures="1" errors="0">
    <testcase name="open-admin-port Sg&lt;&amp;&gt;&quot;x&quot; (2:1)" classname="infra/a,b:c.yaml" file="infra/a,b:c.yaml">
      <failure message="50% of &quot;rules&quot; &lt;open&gt; &amp; more&#10;second line" type="warning">infra/a,b:c.yaml:2:1: warning: 50% of "rules" &lt;open&gt; &amp; more
second line (open-admin-port)
resource: Sg&lt;&amp;&gt;"x"</failure>
    </testcase>
  </testsuite>
  <testsuite name="infra/bad.yaml" tests="1" failures="0" errors="1">
    <testcase name="input error" classname="infra/bad.yaml" file="infra/bad.yaml">
      <error message="Bad &lt;tag&gt; &amp; 100%&#13;&#10;next" type="input-error">infra/bad.yaml: error: Bad &lt;tag&gt; &amp; 100%\r
next</error>
    </testcase>
  </testsuite>
</testsuites>
`);
  });

  it('shows control characters escaped and drops what XML 1.0 cannot carry at all', () => {
    expect(escapeXmlText('a\u0000b\u001bc\ud800d\tx')).toBe('a\\x00b\\x1bcd\tx');
    expect(escapeXmlAttr("it's\t")).toBe('it&apos;s&#9;');
    expect(escapeXmlText('\ud83d\ude00')).toBe('\ud83d\ude00');
  });

  it('is deterministic and ignores the order of result.rules', () => {
    const reversed = sampleResult();
    reversed.rules.reverse();
    expect(junit(context(reversed))).toBe(junit(context(sampleResult())));
  });
});
