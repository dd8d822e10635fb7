import type { AnyFactory, ComponentKind } from './component.js';
import { OktelError } from './errors.js';

/** The component types a distribution knows, by kind and type id (aliases included). */
export class ComponentRegistry {
  readonly #byKind = new Map<ComponentKind, Map<string, AnyFactory>>();

  constructor(factories: readonly AnyFactory[] = []) {
    for (const factory of factories) this.register(factory);
  }

  register(factory: AnyFactory): this {
    const kind = this.#byKind.get(factory.kind) ?? new Map<string, AnyFactory>();
    this.#byKind.set(factory.kind, kind);
    for (const name of [factory.type, ...(factory.aliases ?? [])]) {
      if (kind.has(name))
        throw new OktelError('ERR_DUPLICATE_COMPONENT_TYPE', `two ${factory.kind} factories claim the type "${name}"`, {
          context: { kind: factory.kind, type: name },
        });
      kind.set(name, factory);
    }
    return this;
  }

  get(kind: ComponentKind, type: string): AnyFactory | undefined {
    return this.#byKind.get(kind)?.get(type);
  }

  /** Canonical type ids of one kind (aliases left out), sorted. */
  types(kind: ComponentKind): string[] {
    return [...new Set([...(this.#byKind.get(kind)?.values() ?? [])].map((f) => f.type))].sort();
  }

  list(): AnyFactory[] {
    const all = [...this.#byKind.values()].flatMap((m) => [...new Set(m.values())]);
    return [...new Set(all)];
  }
}
