import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../src/platform/paths.ts';

// ESLint's import-x/no-cycle finds circles of value imports (a module running before one it
// needs). It skips `import type`, so this finds the rest: a circle through types still ties the
// files' folders to each other, and the layers say none may.

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every file of src/ with the files of src/ it imports, `import type` and re-exports included. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const local = importedFiles
        .map(({ fileName }) => fileName)
        .filter((name) => name.startsWith('.'))
        .map((name) => path.resolve(path.dirname(file), name))
        .filter((target) => known.has(target));
      return [file, [...new Set(local)]];
    }),
  );
}

/** The groups of files that reach each other through imports (Tarjan's components, size ≥ 2). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1) found.push(group);
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('imports in src/', () => {
  const files = sourceFiles(fromRoot('src'));
  const relative = (group: string[]) => group.map((f) => path.relative(fromRoot('.'), f)).sort();

  it('never go round in a circle, even through types', () => {
    expect(circles(importGraph(files)).map(relative)).toEqual([]);
  });

  it('would see a circle through a type import', () => {
    // The check itself can fail: a → b by type, b → a by value is a circle.
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['a.ts']],
      ['c.ts', ['a.ts']],
    ]);
    expect(circles(graph)).toEqual([['b.ts', 'a.ts']]);
    const source = "import type { B } from './b.ts';\nexport type { C } from './c.ts';";
    const seen = ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
    expect(seen).toEqual(['./b.ts', './c.ts']);
  });
});
