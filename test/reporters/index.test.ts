import { FORMAT_NAMES, isFormatName, REPORTERS } from '../../src/reporters';
import { context, sampleResult } from './fixtures';

describe('reporter registry', () => {
  it('has the eight formats', () => {
    expect(FORMAT_NAMES).toEqual(['text', 'compact', 'json', 'sarif', 'github', 'junit', 'gitlab', 'markdown']);
    expect(isFormatName('sarif')).toBe(true);
    expect(isFormatName('toString')).toBe(false);
    expect(isFormatName('xml')).toBe(false);
  });

  it.each(FORMAT_NAMES)('%s shows the input error and never the suppressed finding outside json/sarif', (name) => {
    const out = REPORTERS[name](context(sampleResult()));
    expect(out).toContain('Unexpected token } in JSON');
    const showsSuppressed = name === 'json' || name === 'sarif';
    expect(out.includes('Ingress rule of WebSg has no description')).toBe(showsSuppressed);
  });

  it.each(FORMAT_NAMES)('%s is byte-identical across runs and rule orders', (name) => {
    const reversed = sampleResult();
    reversed.rules.reverse();
    const first = REPORTERS[name](context(sampleResult()));
    expect(REPORTERS[name](context(sampleResult()))).toBe(first);
    expect(REPORTERS[name](context(reversed))).toBe(first);
    expect(first.endsWith('\n')).toBe(true);
  });
});
