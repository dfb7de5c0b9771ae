import { KubernetesObject } from '@kubernetes/client-node';
import { LabelIndex } from './LabelIndex';

const ID = 'backstage.io/kubernetes-id';

function obj(
  namespace: string,
  name: string,
  labels?: Record<string, string>,
  resourceVersion = '1',
): KubernetesObject {
  return { metadata: { namespace, name, labels, resourceVersion } };
}

const names = (items: KubernetesObject[]) =>
  items.map(o => `${o.metadata?.namespace}/${o.metadata?.name}`);

describe('LabelIndex', () => {
  it('indexes added objects by label value and namespace', () => {
    const index = new LabelIndex(ID);
    index.set(obj('a', 'w1', { [ID]: 'bot' }));
    index.set(obj('b', 'w2', { [ID]: 'bot' }));
    index.set(obj('a', 'w3', { [ID]: 'other' }));
    index.set(obj('a', 'w4', { app: 'bot' }));
    index.set(obj('a', 'w5'));
    expect(index.size).toBe(3);
    expect(names(index.list('bot'))).toEqual(['a/w1', 'b/w2']);
    expect(names(index.list('bot', 'b'))).toEqual(['b/w2']);
    expect(names(index.list('bot', 'c'))).toEqual([]);
    expect(names(index.list('other'))).toEqual(['a/w3']);
    expect(index.list('missing')).toEqual([]);
  });

  it('replaces an updated object in place and moves it when its label changes', () => {
    const index = new LabelIndex(ID);
    index.set(obj('a', 'w1', { [ID]: 'bot' }));
    index.set(obj('a', 'w2', { [ID]: 'bot' }));
    const updated = obj('a', 'w1', { [ID]: 'bot', team: 'ml' }, '2');
    index.set(updated);
    expect(index.list('bot')[0]).toBe(updated);
    expect(names(index.list('bot'))).toEqual(['a/w1', 'a/w2']);

    index.set(obj('a', 'w1', { [ID]: 'other' }, '3'));
    expect(names(index.list('bot'))).toEqual(['a/w2']);
    expect(names(index.list('other'))).toEqual(['a/w1']);

    // Losing the label removes it from the index.
    index.set(obj('a', 'w1', { team: 'ml' }, '4'));
    expect(index.list('other')).toEqual([]);
    expect(index.size).toBe(1);
    // Getting it back adds it again.
    index.set(obj('a', 'w1', { [ID]: 'bot' }, '5'));
    expect(names(index.list('bot'))).toEqual(['a/w2', 'a/w1']);
  });

  it('deletes by namespace and name, whatever labels the deleted object carries', () => {
    const index = new LabelIndex(ID);
    index.set(obj('a', 'w1', { [ID]: 'bot' }));
    index.set(obj('b', 'w1', { [ID]: 'bot' }));
    // A deletion seen with other labels than the cached object had.
    index.delete(obj('a', 'w1', { [ID]: 'other' }));
    expect(names(index.list('bot'))).toEqual(['b/w1']);
    index.delete(obj('b', 'w1'));
    expect(index.list('bot')).toEqual([]);
    expect(index.size).toBe(0);
    // Deleting what is not indexed is harmless.
    index.delete(obj('c', 'w9', { [ID]: 'bot' }));
    expect(index.size).toBe(0);
  });

  it('ends up with the relisted state after a relist (deletes, then adds and updates)', () => {
    const index = new LabelIndex(ID);
    const before = [
      obj('a', 'gone', { [ID]: 'bot' }),
      obj('a', 'kept', { [ID]: 'bot' }),
      obj('a', 'moved', { [ID]: 'bot' }),
    ];
    before.forEach(o => index.set(o));
    // What an informer's relist reports: deletes for the vanished objects,
    // then an add or update for every listed one.
    const listed = [
      obj('a', 'kept', { [ID]: 'bot' }, '7'),
      obj('a', 'moved', { [ID]: 'other' }, '8'),
      obj('b', 'new', { [ID]: 'bot' }, '9'),
    ];
    index.delete(before[0]);
    listed.forEach(o => index.set(o));
    expect(names(index.list('bot'))).toEqual(['a/kept', 'b/new']);
    expect(index.list('bot')[0]).toBe(listed[0]);
    expect(names(index.list('other'))).toEqual(['a/moved']);
    index.clear();
    expect(index.size).toBe(0);
    expect(index.list('bot')).toEqual([]);
  });
});
