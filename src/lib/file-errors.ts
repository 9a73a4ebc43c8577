// What the file system answered, in words: the one table of errno descriptions, for the profile file, --logo and the
// sandbox's data file.

const DESCRIPTIONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENOTDIR: 'a part of its path is a file, not a folder',
  // mkdir of a folder where a file is
  EEXIST: 'a part of its path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links in its path',
}

/** Is this an error about a file or its path that DESCRIPTIONS has words for? */
export function isDescribedFileError(error: unknown): error is NodeJS.ErrnoException & {code: string} {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' && Object.hasOwn(DESCRIPTIONS, code)
}

/** The error in words (`permission denied`), else its errno code, else its message. */
export function describeFileError(error: unknown): string {
  if (isDescribedFileError(error)) return DESCRIPTIONS[error.code]
  const e = error as NodeJS.ErrnoException | undefined
  return e?.code ?? e?.message ?? String(error)
}
