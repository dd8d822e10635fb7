import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { loadRules } from '@oktel/processor-detection';
import { OKTA_RULES_DIR } from '@oktel/rules-okta';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const ids = new Set((loadRules([OKTA_RULES_DIR]).loaded?.rules ?? []).map((r) => r.definition.id));
const coverage = readme.slice(readme.indexOf('<!-- coverage:start -->'), readme.indexOf('<!-- coverage:end -->'));
const rows = coverage
  .split('\n')
  .filter((l) => /^\| (Okta|Sigma|Elastic|Splunk|Panther) \|/.test(l))
  .map((l) => l.split('|').map((c) => c.trim()));

describe('rules-okta README', () => {
  it('lists every rule of the pack', () => {
    for (const id of ids) expect(readme, id).to.contain(`| \`${id}\` |`);
  });

  it('maps public detections only to rules that exist, and says why where none does', () => {
    expect(rows.length).to.be.greaterThan(150);
    for (const [, source, name, status, rules, note] of rows) {
      const named = [...rules!.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!);
      for (const id of named) expect(ids.has(id), `${source} ${name}: ${id}`).to.equal(true);
      if (status === '—') expect(note, `${source} ${name}`).to.not.equal('');
      else expect(named, `${source} ${name}`).to.not.be.empty;
    }
  });

  it('states a coverage ratio that matches the table, at least 85 %', () => {
    const covered = rows.filter((r) => r[3] !== '—').length;
    const stated = /(\d+)\/(\d+) = (\d+) % covered fully or partly/.exec(coverage);
    expect(stated, 'the ratio sentence').to.not.equal(null);
    expect([Number(stated![1]), Number(stated![2])]).to.deep.equal([covered, rows.length]);
    expect(covered / rows.length).to.be.at.least(0.85);
  });
});
