import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

// docs/ARCHITECTURE.md's "File by file" block is the one map of the code: a file added without its
// line, or a line left behind by a moved file, fails here rather than misleading the next reader.
const SOURCE_FOLDERS = ['shared', 'widget', 'server', 'bench'];
const SOURCE_FILE = /\.(ts|tsx|css|js|mjs)$/;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The paths the map lists: each line's first word, under the folders its indentation opens. */
function mappedFiles(): string[] {
  const doc = readFileSync('docs/ARCHITECTURE.md', 'utf8');
  const section = doc.slice(doc.indexOf('## File by file'));
  const block = section.slice(section.indexOf('```\n') + 4, section.indexOf('\n```', section.indexOf('```\n') + 4));
  const folders: string[] = [];
  const files: string[] = [];
  for (const line of block.split('\n')) {
    const name = line.trim().split(/\s+/)[0];
    if (!name) continue;
    const depth = (line.length - line.trimStart().length) / 2;
    folders.length = depth;
    if (name.endsWith('/')) folders.push(name.slice(0, -1));
    else files.push([...folders, name].join('/'));
  }
  return files;
}

test('docs/ARCHITECTURE.md lists every source file, and only files that exist', () => {
  const onDisk = [...SOURCE_FOLDERS.flatMap(sourceFiles), 'esbuild.config.mjs'].sort();
  const listed = mappedFiles().sort();
  expect(
    listed.filter((file) => !onDisk.includes(file)),
    'listed but gone',
  ).toEqual([]);
  expect(
    onDisk.filter((file) => !listed.includes(file)),
    'missing from the map',
  ).toEqual([]);
});
