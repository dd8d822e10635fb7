import { expect } from 'chai';
import { ENTITY_ATTRIBUTES, type EntityPair } from '../src/alert-record.js';
import { addEntities, addGroupEntities, entitiesFromFlat, eventEntitiesOf } from '../src/correlation/group-entities.js';

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
      eventEntitiesOf([
        ['user.name', 'dana'],
        ['source.ip', '10.0.0.1'],
      ]),
      2,
      1,
    );
    expect(first).to.be.a('string');
    expect(entitiesFromFlat(first)).to.deep.equal({ 'user.name': { values: ['dana'], omitted: 0 }, 'source.ip': { values: ['10.0.0.1'], omitted: 0 } });
    const second = addGroupEntities(
      first,
      eventEntitiesOf([
        ['user.name', 'dana'],
        ['source.ip', '10.0.0.2'],
        ['source.ip', '10.0.0.3'],
        ['source.ip', '10.0.0.4'],
      ]),
      2,
      1,
    );
    expect(second).to.deep.equal([USER, 'dana', IP, '10.0.0.1', IP, '10.0.0.2', ~IP, '10.0.0.3']);
    // From then on the array grows in place: no re-encoding per event.
    expect(addGroupEntities(second, eventEntitiesOf([['user.name', 'eve']]), 2, 1)).to.equal(second);
    expect(entitiesFromFlat(second)['user.name']).to.deep.equal({ values: ['dana', 'eve'], omitted: 0 });
  });

  it("builds an event's one-event form once for every group it opens, and leaves a group unchanged by an event with the same entities", () => {
    const pairs: [string, string][] = [
      ['user.name', 'dana'],
      ['source.ip', '10.0.0.1'],
    ];
    const event = eventEntitiesOf(pairs as never);
    const groupA = addGroupEntities(undefined, event, 2, 1);
    const groupB = addGroupEntities(undefined, event, 2, 1);
    // One string for both groups: built once, kept once.
    expect(event.json).to.equal(groupA);
    expect(groupB).to.equal(groupA);
    // A later event of the group with the same entities: the group keeps its one string.
    const same = addGroupEntities(groupA, eventEntitiesOf(pairs as never), 2, 1);
    expect(same).to.be.a('string').and.to.equal(groupA);
    expect(entitiesFromFlat(same)).to.deep.equal({ 'user.name': { values: ['dana'], omitted: 0 }, 'source.ip': { values: ['10.0.0.1'], omitted: 0 } });
    // One with a new value turns it into the array with both.
    const merged = addGroupEntities(same, eventEntitiesOf([['source.ip', '10.0.0.2']] as never), 2, 1);
    expect(merged).to.deep.equal([USER, 'dana', IP, '10.0.0.1', IP, '10.0.0.2']);
  });
});
