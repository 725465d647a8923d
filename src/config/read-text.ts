// A file's text, or the error that kept it from being read (the loader turns it into a located issue).

import { readFile } from 'node:fs/promises';

export async function readText(file: string): Promise<string | NodeJS.ErrnoException> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}
