import { fileURLToPath } from 'node:url';

/** The directory of the shipped Okta rule pack (one YAML file per rule). */
export const OKTA_RULES_DIR = fileURLToPath(new URL('../rules/', import.meta.url));
