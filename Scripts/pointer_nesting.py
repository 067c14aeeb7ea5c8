#!/usr/bin/env python3
"""Maximum nesting depth of pointer-binding closures (`withUnsafe…Pointer { … }`) per Swift file.

Usage: pointer_nesting.py DIR [--top N]
Counts, for every `{` that opens the trailing closure of a call whose name starts with
`withUnsafe` (or a helper passed in --also), how many such closures enclose it. Strings and
comments are skipped. Prints the deepest files and the maximum.
Not handled: closures passed as a parenthesised argument rather than a trailing closure.
"""
import os, re, sys

def strip(source):
    out, i, n = [], 0, len(source)
    while i < n:
        if source.startswith('//', i):
            j = source.find('\n', i); i = n if j < 0 else j
        elif source.startswith('/*', i):
            j = source.find('*/', i + 2); i = n if j < 0 else j + 2
        elif source.startswith('"""', i):
            j = source.find('"""', i + 3); i = n if j < 0 else j + 3; out.append('""')
        elif source[i] == '"':
            j = i + 1
            while j < n and source[j] != '"' and source[j] != '\n':
                j += 2 if source[j] == '\\' else 1
            i = j + 1; out.append('""')
        else:
            out.append(source[i]); i += 1
    return ''.join(out)

CALL = re.compile(r'\bwithUnsafe\w*\s*(\([^(){}]*(\([^(){}]*\)[^(){}]*)*\))?\s*$')

def depth(path):
    text = strip(open(path, encoding='utf-8').read())
    stack, best, line, best_line = [], 0, 1, 0
    for index, ch in enumerate(text):
        if ch == '\n': line += 1
        elif ch == '{':
            pointer = bool(CALL.search(text[max(0, index - 200):index]))
            stack.append(pointer)
            d = sum(stack)
            if d > best: best, best_line = d, line
        elif ch == '}' and stack:
            stack.pop()
    return best, best_line

if len(sys.argv) < 2 or sys.argv[1].startswith('-'):
    sys.exit("usage: pointer_nesting.py DIR [--top N]   (DIR: Sources, for the package's own code)")
root = sys.argv[1]
top = int(sys.argv[sys.argv.index('--top') + 1]) if '--top' in sys.argv else 15
rows = []
for folder, _, files in os.walk(root):
    for name in files:
        if name.endswith('.swift'):
            path = os.path.join(folder, name)
            d, l = depth(path)
            if d: rows.append((d, path, l))
rows.sort(key=lambda r: (-r[0], r[1]))
for d, path, l in rows[:top]:
    print(f'{d}\t{os.path.relpath(path, root)}:{l}')
print(f'max {rows[0][0] if rows else 0}; files with depth >= 3: {sum(1 for r in rows if r[0] >= 3)}; files with any: {len(rows)}')
