/** Distributes a module's model over the files it was written in: one ParsedInput per input file. */
import type { InputError, InputFormat, InputNotice, ParsedInput } from '../../model/types';
import type { BuiltModel } from './model';

/**
 * One ParsedInput per input file, in input order. Groups and users go to the file they are written in; things
 * written in a called local module go to the file of the root `module` block that leads to them.
 */
export function splitByFile(
  built: BuiltModel,
  files: readonly string[],
  format: InputFormat,
  errors: readonly InputError[],
  notices: readonly InputNotice[],
  moduleCallFile: ReadonlyMap<string, string>,
): ParsedInput[] {
  const out = new Map<string, ParsedInput>();
  for (const file of files) out.set(file, { file, format, groups: [], users: [], errors: [], notices: [] });
  const first = files[0];
  const target = (file: string, address: string): ParsedInput | undefined => {
    const direct = out.get(file);
    if (direct) return direct;
    const m = /^module\.([A-Za-z0-9_-]+)/.exec(address);
    const viaCall = m?.[1] ? moduleCallFile.get(m[1]) : undefined;
    return out.get(viaCall ?? first ?? '');
  };
  for (const g of built.groups) {
    const anchor = g.kind === 'external' ? ([...g.ingress, ...g.egress][0]?.resource ?? g.address) : g.address;
    target(g.location.file, anchor)?.groups.push(g);
  }
  for (const u of built.users) target(u.location.file, u.resource)?.users.push(u);
  for (const e of errors) (out.get(e.file) ?? out.get(first ?? ''))?.errors.push(e);
  for (const n of [...notices, ...built.notices]) (out.get(n.file) ?? out.get(first ?? ''))?.notices.push(n);
  return [...out.values()];
}
