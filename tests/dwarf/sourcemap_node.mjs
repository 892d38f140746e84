// sourcemap_node.mjs: the oracle of sourcemap_oracle.py. Reads a source map
// with Node's own module.SourceMap and prints, for each file offset given on
// stdin (one a line), what findEntry(0, offset) gives: one JSON array a line,
// [source, line, column, name] (line and column 0-based, as in the map), or
// null where no mapping with a source covers the offset.
import { SourceMap } from 'node:module';
import { readFileSync } from 'node:fs';

const map = new SourceMap(JSON.parse(readFileSync(process.argv[2], 'utf8')));
const out = [];
for (const line of readFileSync(0, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const e = map.findEntry(0, Number(line));
  out.push(JSON.stringify(e.originalSource == null ? null
    : [e.originalSource, e.originalLine, e.originalColumn, e.name ?? null]));
}
process.stdout.write(out.join('\n') + '\n');
