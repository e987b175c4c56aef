import { REPORTERS } from '../../src/reporters';
import { escapeData, escapeProperty } from '../../src/reporters/github';
import { cleanResult, context, escapingResult, sampleResult } from './fixtures';

const github = REPORTERS.github;

describe('github reporter', () => {
  it('writes one workflow command per unsuppressed finding, then one per input error', () => {
    expect(github(context(sampleResult()))).toBe(
      [
        '::notice file=infra/db.tf,line=3,col=3,endLine=8,endColumn=4,title=rule-missing-description::Egress rule of aws_security_group.db has no description',
        '::warning file=infra/db.tf,line=7,col=20,endLine=7,endColumn=31,title=unrestricted-egress::Egress to 0.0.0.0/0 on all protocols',
        '::error file=infra/web.yaml,line=10,col=19,endLine=10,endColumn=28,title=open-admin-port::Ingress from 0.0.0.0/0 reaches tcp/22 (SSH)',
        '::error file=infra/broken.json,line=4,col=3,title=sg-lint input error::Unexpected token } in JSON',
        '',
      ].join('\n'),
    );
  });

  it('escapes %, CR and LF in messages and also : and , in properties', () => {
    expect(github(context(escapingResult()))).toBe(
      [
        '::warning file=infra/a%2Cb%3Ac.yaml,line=2,col=1,endLine=2,endColumn=5,title=open-admin-port::50%25 of "rules" <open> & more%0Asecond line',
        '::error file=infra/bad.yaml,title=sg-lint input error::Bad <tag> & 100%25%0D%0Anext',
        '',
      ].join('\n'),
    );
    expect(escapeData('100%\r\n:,')).toBe('100%25%0D%0A:,');
    expect(escapeProperty('100%\r\n:,')).toBe('100%25%0D%0A%3A%2C');
  });

  it('writes forward slashes in file paths', () => {
    const result = escapingResult();
    result.findings[0]!.file = 'infra\\web.yaml';
    result.errors = [];
    expect(github(context(result))).toContain('::warning file=infra/web.yaml,line=2,');
  });

  it('writes nothing when there is nothing to report', () => {
    expect(github(context(cleanResult()))).toBe('');
  });

  it('is deterministic and ignores the order of result.rules', () => {
    const reversed = sampleResult();
    reversed.rules.reverse();
    expect(github(context(reversed))).toBe(github(context(sampleResult())));
  });
});
