/** Numeric functions: abs ceil floor log max min parseint pow signum. */
import { num } from '../value';
import type { FnDef } from './args';
import { asInteger, asNumber, asString, fail, param } from './args';
import { maxOf, minOf } from '../../../../model/arrays';

export const NUMERIC: Record<string, FnDef> = {
  abs: { params: ['num'], impl: ([a]) => num(Math.abs(asNumber(a, 'num'))) },
  ceil: { params: ['num'], impl: ([a]) => num(Math.ceil(asNumber(a, 'num'))) },
  floor: { params: ['num'], impl: ([a]) => num(Math.floor(asNumber(a, 'num'))) },
  signum: { params: ['num'], impl: ([a]) => num(Math.sign(asInteger(a, 'num')) || 0) },
  log: {
    params: ['num', 'base'],
    impl: ([a, b]) => {
      const n = asNumber(a, 'num');
      const base = asNumber(b, 'base');
      return num(Math.log(n) / Math.log(base));
    },
  },
  pow: {
    params: ['num', 'power'],
    impl: ([a, b]) => {
      const r = Math.pow(asNumber(a, 'num'), asNumber(b, 'power'));
      return Number.isNaN(r) ? fail('the result is not a number') : num(r);
    },
  },
  max: {
    params: [],
    variadic: 'numbers',
    impl: (args) => {
      if (args.length === 0) fail('must pass at least one number');
      return num(maxOf(args.map((a) => asNumber(a, 'numbers'))));
    },
  },
  min: {
    params: [],
    variadic: 'numbers',
    impl: (args) => {
      if (args.length === 0) fail('must pass at least one number');
      return num(minOf(args.map((a) => asNumber(a, 'numbers'))));
    },
  },
  parseint: {
    params: ['number', 'base'],
    impl: ([a, b]) => {
      if (a?.kind !== 'scalar' || typeof a.value !== 'string') return param('number', 'string required');
      const text = asString(a, 'number');
      const base = asInteger(b, 'base');
      if (base < 2 || base > 62) return param('base', 'must be an integer between 2 and 62 inclusive');
      const digits = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
      const m = /^([+-]?)(.+)$/.exec(text);
      const body = m?.[2] ?? '';
      let value = 0n;
      for (const ch of body) {
        let d = digits.indexOf(base <= 36 ? ch.toLowerCase() : ch);
        if (base <= 36 && d >= 36) d = -1;
        if (d < 0 || d >= base) return fail(`cannot parse ${JSON.stringify(text)} as a base ${base} integer`);
        value = value * BigInt(base) + BigInt(d);
      }
      if (body === '') return fail(`cannot parse ${JSON.stringify(text)} as a base ${base} integer`);
      const n = Number(value);
      return num(m?.[1] === '-' ? -n : n);
    },
  },
};
