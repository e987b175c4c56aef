import { DEFAULT_EXPANSION_BUDGET, ExpansionBudget } from '../../src/parsers/shared/budget';

describe('ExpansionBudget', () => {
  it('grants until the limit, then refuses, and names the first refusal in one notice', () => {
    const b = new ExpansionBudget(10);
    expect(b.take(4, 'a', { line: 1, column: 2 })).toBe(4);
    expect(b.exhausted).toBe(false);
    expect(b.notices('f')).toEqual([]);
    expect(b.take(8, 'count of aws_security_group.web', { line: 3, column: 5 })).toBe(6);
    expect(b.exhausted).toBe(true);
    expect(b.take(5, 'later', { line: 9, column: 1 })).toBe(0);
    expect(b.takeOne('later')).toBe(false);
    expect(b.spent).toBe(10);
    expect(b.notices('f')).toEqual([
      {
        file: 'f',
        line: 3,
        column: 5,
        message:
          'expansion stopped at count of aws_security_group.web: this input expands into more than 10 items (count, for_each, dynamic blocks, Fn::If branches, AllowedValues); only the first 10 are linted',
        visible: true,
      },
    ]);
  });

  it('treats odd requests and limits safely', () => {
    const b = new ExpansionBudget(Number.NaN);
    expect(b.limit).toBe(1);
    expect(b.take(-3, 'x')).toBe(0);
    expect(b.take(2.7, 'x')).toBe(1);
    expect(b.notices('f')).toEqual([expect.objectContaining({ file: 'f', message: expect.stringContaining('expansion stopped at x') })]);
    expect(new ExpansionBudget().limit).toBe(DEFAULT_EXPANSION_BUDGET);
  });
});
