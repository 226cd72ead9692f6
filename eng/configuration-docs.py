#!/usr/bin/env python3
"""Regenerates the per-section tables of docs/configuration.md from the options classes' XML docs."""
import glob, re, sys

def tables():
    out = []
    for f in sorted(glob.glob('src/**/*Options.cs', recursive=True)):
        s = open(f).read()
        m = re.search(r'public const string SectionName = "([^"]+)"', s)
        cls = re.search(r'public sealed class (\w+)', s)
        if not cls or not m:
            continue
        out.append(f"\n### `{m.group(1)}` ({cls.group(1)})\n")
        out.append("| key | meaning and default |\n| --- | --- |")
        for chunk in s.split('/// <summary>')[1:]:
            pm = re.match(r'(.*?)</summary>(.*?)\n\s*(?:\[[^\n]*\]\s*\n\s*)*public (?!const|sealed|static)([\w<>?,\[\] ]+?) (\w+) \{', chunk, re.S)
            if not pm:
                continue
            doc = ' '.join(l.strip().lstrip('/').strip() for l in pm.group(1).splitlines()).strip()
            doc = re.sub(r'<see cref="([^"]+)"\s*/>', r'`\1`', doc)
            doc = re.sub(r'<c>(.*?)</c>', r'`\1`', doc)
            doc = re.sub(r'<see langword="(\w+)"\s*/>', r'`\1`', doc)
            doc = re.sub(r'<[^>]+>', '', doc).replace('|', '\\|')
            out.append(f"| `{pm.group(4)}` | {doc} |")
    return '\n'.join(out) + '\n'

path = 'docs/configuration.md'
text = open(path).read()
marker = '<!-- generated: eng/configuration-docs.py -->'
head = text.split(marker)[0]
open(path, 'w').write(head + marker + '\n' + tables())
