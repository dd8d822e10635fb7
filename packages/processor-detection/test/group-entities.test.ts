import { expect } from 'chai';
import { ENTITY_ATTRIBUTES, type EntityPair } from '../src/alert-record.js';
import { addEntities, addGroupEntities, entitiesFromFlat } from '../src/correlation/group-entities.js';

const USER = ENTITY_ATTRIBUTES.indexOf('user.name');
const IP = ENTITY_ATTRIBUTES.indexOf('source.ip');

describe('group entities', () => {
  it('keeps cap values per attribute, counts overflow more, ignores repeats and unknown attributes', () => {
    const flat: (number | string)[] = [];
    const pairs: EntityPair[] = [
      ['source.ip', '10.0.0.1'],
      ['user.name', 'dana'],
      ['not.an.entity', 'x'],
      ['source.ip', '10.0.0.2'],
      ['source.ip', '10.0.0.3'],
      ['source.ip', '10.0.0.4'],
      ['source.ip', '10.0.0.1'],
      ['source.ip', '10.0.0.3'],
      ['source.ip', '10.0.0.5'],
      ['user.name', 'dana'],
    ];
    addEntities(flat, pairs, 2, 2);
    expect(flat).to.deep.equal([IP, '10.0.0.1', USER, 'dana', IP, '10.0.0.2', ~IP, '10.0.0.3', ~IP, '10.0.0.4']);
    expect(entitiesFromFlat(flat)).to.deep.equal({
      'user.name': { values: ['dana'], omitted: 0 },
      'source.ip': { values: ['10.0.0.1', '10.0.0.2'], omitted: 2 },
    });
  });

  it('counts the values of one attribute apart from those of the others', () => {
    const flat: (number | string)[] = [];
    addEntities(
      flat,
      [
        ['user.name', 'ann'],
        ['user.name', 'bob'],
        ['source.ip', '10.0.0.1'],
      ],
      2,
      0,
    );
    addEntities(flat, [['source.ip', '10.0.0.2']], 2, 0);
    expect(entitiesFromFlat(flat)).to.deep.equal({
      'user.name': { values: ['ann', 'bob'], omitted: 0 },
      'source.ip': { values: ['10.0.0.1', '10.0.0.2'], omitted: 0 },
    });
  });

  it('keeps no counted value beyond overflow, and names none as an alert view', () => {
    const flat: (number | string)[] = [];
    addEntities(
      flat,
      [
        ['session.id', 's1'],
        ['session.id', 's2'],
        ['session.id', 's3'],
      ],
      1,
      0,
    );
    expect(flat).to.deep.equal([ENTITY_ATTRIBUTES.indexOf('session.id'), 's1']);
    expect(entitiesFromFlat([])).to.deep.equal({});
  });

  it('keeps a one-event group as one string, and turns it into the flat array at the second event without losing the first', () => {
    const first = addGroupEntities(
      undefined,
      [
        ['user.name', 'dana'],
        ['source.ip', '10.0.0.1'],
      ],
      2,
      1,
    );
    expect(first).to.be.a('string');
    expect(entitiesFromFlat(first)).to.deep.equal({ 'user.name': { values: ['dana'], omitted: 0 }, 'source.ip': { values: ['10.0.0.1'], omitted: 0 } });
    const second = addGroupEntities(
      first,
      [
        ['user.name', 'dana'],
        ['source.ip', '10.0.0.2'],
        ['source.ip', '10.0.0.3'],
        ['source.ip', '10.0.0.4'],
      ],
      2,
      1,
    );
    expect(second).to.deep.equal([USER, 'dana', IP, '10.0.0.1', IP, '10.0.0.2', ~IP, '10.0.0.3']);
    // From then on the array grows in place: no re-encoding per event.
    expect(addGroupEntities(second, [['user.name', 'eve']], 2, 1)).to.equal(second);
    expect(entitiesFromFlat(second)['user.name']).to.deep.equal({ values: ['dana', 'eve'], omitted: 0 });
  });
});
