// Regenerates the config tables in the package READMEs from the schemas (`pnpm run docs`);
// the test suite runs the same check, so a key added without docs fails CI.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OktelError, renderConfigTable, serviceSchema } from '@oktel/core';
import { renderAttributeTable } from '@oktel/okta-log-event';
import { builtinComponents } from './components.js';

const ROOT = new URL('../../..', import.meta.url).pathname;

export interface GeneratedSection {
  readme: string;
  marker: string;
  content: string;
}

const PACKAGE_OF: Record<string, string> = {
  'receiver file': 'receiver-file',
  'receiver okta': 'receiver-okta',
  'receiver otlp': 'receiver-otlp',
  'receiver okta_event_hook': 'receiver-okta-event-hook',
  'processor detection': 'processor-detection',
  'processor resource': 'processor-resource',
  'processor attributes': 'processor-attributes',
  'processor filter': 'processor-filter',
  'exporter splunk_hec': 'exporter-splunk-hec',
  'exporter debug': 'exporter-debug',
  'exporter file': 'exporter-file',
  'exporter otlp_http': 'exporter-otlp',
  'extension file_storage': 'extension-file-storage',
  'connector routing': 'connector-routing',
};

export function generatedSections(): GeneratedSection[] {
  const sections: GeneratedSection[] = builtinComponents()
    .list()
    .map((factory) => {
      const pkg = PACKAGE_OF[`${factory.kind} ${factory.type}`];
      if (!pkg) throw new OktelError('ERR_DOCS_UNKNOWN_PACKAGE', `no README is known for the ${factory.kind} ${factory.type}: add it to PACKAGE_OF in docs.ts`);
      return { readme: `packages/${pkg}/README.md`, marker: `config ${factory.type}`, content: renderConfigTable(factory.configSchema) };
    });
  sections.push({ readme: 'packages/core/README.md', marker: 'config service', content: renderConfigTable(serviceSchema) });
  sections.push({ readme: 'packages/okta-log-event/README.md', marker: 'attributes', content: renderAttributeTable() });
  return sections;
}

/** The README text with the section between its markers replaced, or an error if the markers are missing. */
export function applySection(text: string, section: GeneratedSection): string {
  const start = `<!-- generated:${section.marker}:start -->`;
  const end = `<!-- generated:${section.marker}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1) throw new OktelError('ERR_DOCS_MARKERS', `${section.readme} lacks the markers ${start} … ${end}`);
  return `${text.slice(0, from + start.length)}\n${section.content}\n${text.slice(to)}`;
}

/** READMEs whose generated sections differ from the schemas. */
export function staleReadmes(write: boolean): string[] {
  const stale = new Set<string>();
  for (const section of generatedSections()) {
    const path = join(ROOT, section.readme);
    const text = readFileSync(path, 'utf8');
    const updated = applySection(text, section);
    if (updated !== text) {
      stale.add(section.readme);
      if (write) writeFileSync(path, updated);
    }
  }
  return [...stale];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const write = process.argv.includes('--write');
  const stale = staleReadmes(write);
  if (stale.length === 0) process.stdout.write('Generated docs are up to date.\n');
  else if (write) process.stdout.write(`Updated ${stale.join(', ')}\n`);
  else {
    process.stderr.write(`Out of date (run pnpm run docs): ${stale.join(', ')}\n`);
    process.exitCode = 1;
  }
}
