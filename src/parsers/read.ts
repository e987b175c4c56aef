import { closeSync, openSync, promises as fs, readSync, statSync } from 'node:fs';

/** Default `--max-file-size`: larger inputs are refused with a message instead of being parsed. */
export const DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024;

/** The text of an input, or why it cannot be linted. */
export type ReadResult = { ok: true; text: string } | { ok: false; message: string; binary?: boolean };

/**
 * Decodes input bytes to text: UTF-8 (BOM stripped) or UTF-16 with a BOM. Invalid UTF-8 and binary data (NUL bytes)
 * are refused with a message rather than parsed as garbage.
 */
export function decodeText(bytes: Uint8Array): ReadResult {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { ok: true, text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { ok: true, text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };
  }
  if (bytes.indexOf(0) !== -1) return { ok: false, message: 'binary file (contains NUL bytes), not a template', binary: true };
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text };
  } catch {
    return { ok: false, message: 'file is not valid UTF-8 text' };
  }
}

/**
 * Reads and decodes a file, refusing files larger than `maxSize` bytes before reading them. Only regular files are read
 * (a symlink to `/dev/zero`, a FIFO or a socket is refused), and never more than `maxSize` bytes, even if the file grows
 * while it is read.
 */
export async function readText(path: string, maxSize = DEFAULT_MAX_FILE_SIZE): Promise<ReadResult> {
  try {
    const stat = await fs.stat(path);
    if (stat.isDirectory()) return { ok: false, message: 'is a directory, not a file' };
    if (!stat.isFile()) return { ok: false, message: 'not a regular file (device, FIFO or socket); not linted' };
    if (stat.size > maxSize) return { ok: false, message: tooLarge(`file is ${formatSize(stat.size)},`, maxSize) };
    const bytes = await readBounded(path, maxSize, stat.size);
    if (bytes === undefined) return { ok: false, message: tooLarge('file grew while it was read and is', maxSize) };
    return decodeText(bytes);
  } catch (e) {
    return { ok: false, message: describeFsError(e) };
  }
}

/**
 * {@link readText} for the files parsers open by themselves while reading an input (the other files of a Terraform
 * module, `terraform.tfvars`, `modules.json`, a Terragrunt include, a cloud assembly's manifest): a symbolic link in
 * a pull request can name `/dev/zero`, which `readFileSync` would read until memory runs out. `limit` names the bound
 * in messages.
 */
export function readTextSync(path: string, maxSize = DEFAULT_MAX_FILE_SIZE, limit = `--max-file-size ${formatSize(maxSize)}`): ReadResult {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return { ok: false, message: 'is a directory, not a file' };
    if (!stat.isFile()) return { ok: false, message: 'not a regular file (device, FIFO or socket); not read' };
    if (stat.size > maxSize) return { ok: false, message: `file is ${formatSize(stat.size)}, larger than ${limit}; not read` };
    const fd = openSync(path, 'r');
    try {
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const want = total === 0 ? stat.size + 1 : READ_CHUNK;
        const buf = Buffer.allocUnsafe(Math.max(1, Math.min(want, READ_CHUNK, maxSize + 1 - total)));
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) return decodeText(Buffer.concat(chunks, total));
        chunks.push(n === buf.length ? buf : buf.subarray(0, n));
        total += n;
        if (total > maxSize) return { ok: false, message: `file grew while it was read and is larger than ${limit}; not read` };
      }
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return { ok: false, message: describeFsError(e) };
  }
}

/** "file is larger than --max-file-size 10 MB; not linted". */
export function tooLarge(what: string, maxSize: number): string {
  return `${what} larger than --max-file-size ${formatSize(maxSize)}; not linted`;
}

/**
 * Reads at most `maxSize` bytes of a file; undefined when it holds more. The first buffer is sized from `expected`
 * (the size stat reported, plus one byte to see the end), so a small template costs a small allocation.
 */
async function readBounded(path: string, maxSize: number, expected: number): Promise<Uint8Array | undefined> {
  const handle = await fs.open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = total === 0 ? expected + 1 : READ_CHUNK;
      const buf = Buffer.allocUnsafe(Math.max(1, Math.min(want, READ_CHUNK, maxSize + 1 - total)));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      chunks.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxSize) return undefined;
    }
  } finally {
    await handle.close();
  }
}

const READ_CHUNK = 1024 * 1024;

/** Reads all of standard input and decodes it. */
export async function readStdin(maxSize = DEFAULT_MAX_FILE_SIZE): Promise<ReadResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > maxSize) return { ok: false, message: tooLarge('standard input is', maxSize) };
    chunks.push(buf);
  }
  return decodeText(Buffer.concat(chunks));
}

/** Turns a Node file-system error into a one-line message. */
export function describeFsError(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

function formatSize(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
