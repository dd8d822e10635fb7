import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The directory of the shared test fixtures (real Okta System Log events, one JSON file each). */
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A fixture parsed from JSON, fresh on every call so a test may change it. */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${FIXTURES_DIR}${name}`, 'utf8')) as Record<string, unknown>;
}
