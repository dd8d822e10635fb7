import type { ComponentRegistry } from '@oktel/core';

export function componentsCommand(registry: ComponentRegistry): string {
  const rows = registry.list().map((f) => [f.kind, f.type + (f.aliases?.length ? ` (alias ${f.aliases.join(', ')})` : ''), f.stability, f.description]);
  const order = ['receiver', 'processor', 'exporter', 'connector', 'extension'];
  rows.sort((a, b) => order.indexOf(a[0]!) - order.indexOf(b[0]!) || a[1]!.localeCompare(b[1]!));
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ')).join('\n');
}
