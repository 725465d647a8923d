// Writes a file whole or not at all: a reader (or a crash) never sees half a report or a half-written run.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function atomicWrite(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}
