function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Several --config files merge like the Collector's: maps deep-merge, later files win, lists are replaced. */
export function mergeConfigs(values: readonly unknown[]): Record<string, unknown> {
  const merge = (base: unknown, over: unknown): unknown => {
    if (!isPlainObject(base) || !isPlainObject(over)) return over;
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(over)) out[key] = key in out ? merge(out[key], value) : value;
    return out;
  };
  return values.reduce<Record<string, unknown>>((acc, value) => merge(acc, value ?? {}) as Record<string, unknown>, {});
}
