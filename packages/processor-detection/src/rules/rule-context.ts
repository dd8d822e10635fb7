import { pathReader, type PathReader, type VarScope } from '@oktel/jsonlogic';

/**
 * What a rule's `match` sees: the original Okta event at its native paths (`eventType`,
 * `debugContext.debugData.factor`), the record's attributes under `@attributes.` and the
 * resource's under `@resource.` — attribute keys contain dots, so the rest of the path is one key
 * (`@attributes.client.address`).
 */
export class RuleContext {
  constructor(
    readonly event: unknown,
    readonly attributes: Readonly<Record<string, unknown>>,
    readonly resource: Readonly<Record<string, unknown>>,
  ) {}
}

export const ATTRIBUTES_PREFIX = '@attributes.';
export const RESOURCE_PREFIX = '@resource.';

function flatKey(source: (ctx: RuleContext) => Readonly<Record<string, unknown>>, key: string, notFound: unknown): PathReader {
  return (ctx) => {
    const map = source(ctx as RuleContext);
    const value = Object.hasOwn(map, key) ? map[key] : undefined;
    return value === undefined ? notFound : value;
  };
}

export const ruleScope: VarScope = {
  is: (data) => data instanceof RuleContext,
  reader(path, notFound) {
    const text = path === null || path === undefined ? '' : String(path);
    if (text.startsWith(ATTRIBUTES_PREFIX)) return flatKey((c) => c.attributes, text.slice(ATTRIBUTES_PREFIX.length), notFound);
    if (text.startsWith(RESOURCE_PREFIX)) return flatKey((c) => c.resource, text.slice(RESOURCE_PREFIX.length), notFound);
    const read = pathReader(path, notFound);
    return (ctx) => read((ctx as RuleContext).event);
  },
};
