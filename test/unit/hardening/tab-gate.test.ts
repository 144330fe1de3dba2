// TabGate: a fresh worker stores a tab's failures only once it knows the tab exists, so that late events of
// a tab closed while no worker ran do not bring its key back.
import { describe, expect, it } from 'vitest';
import { TabGate } from '../../../src/background/tab-gate.ts';

function deferred() {
  let resolve!: (v: boolean) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<boolean>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('TabGate', () => {
  it('asks once per tab, then runs the waiting work in order and later work at once', async () => {
    const asked: number[] = [];
    const answer = deferred();
    const gate = new TabGate((id) => {
      asked.push(id);
      return answer.promise;
    });
    const ran: string[] = [];
    gate.run(7, () => ran.push('a'));
    gate.run(7, () => ran.push('b'));
    expect(ran).toEqual([]);
    answer.resolve(true);
    await settle();
    expect(ran).toEqual(['a', 'b']);
    gate.run(7, () => ran.push('c'));
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(asked).toEqual([7]);
  });

  it('drops the work of a tab that does not exist (the browser rejects tabs.get)', async () => {
    const gate = new TabGate(() => Promise.reject(new Error('No tab with id: 9')));
    const ran: string[] = [];
    gate.run(9, () => ran.push('late'));
    await settle();
    expect(ran).toEqual([]);
  });

  it('a tab closed while the answer is pending runs nothing, and is asked about again', async () => {
    const answers = [deferred(), deferred()];
    let n = 0;
    const gate = new TabGate(() => (answers[n++] as ReturnType<typeof deferred>).promise);
    const ran: string[] = [];
    gate.run(3, () => ran.push('before close'));
    gate.forget(3);
    answers[0]?.resolve(true);
    await settle();
    expect(ran).toEqual([]);
    gate.run(3, () => ran.push('after'));
    answers[1]?.resolve(false);
    await settle();
    expect(ran).toEqual([]);
    expect(n).toBe(2);
  });

  it('forgets an open tab when it closes', async () => {
    let asked = 0;
    const gate = new TabGate(async () => {
      asked++;
      return asked === 1;
    });
    const ran: string[] = [];
    gate.run(1, () => ran.push('open'));
    await settle();
    gate.forget(1);
    gate.run(1, () => ran.push('closed'));
    await settle();
    expect(ran).toEqual(['open']);
    expect(asked).toBe(2);
  });
});
