import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, renderHook } from '@testing-library/react';
import { ApiError } from '../api/client';
import { settle } from '../testing/timers';
import { useResource } from './useResource';

/** A load the test finishes when it wants to, recording the signal it was given. */
interface Load<T> {
  key: string;
  signal: AbortSignal;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function loads<T>() {
  const started: Load<T>[] = [];
  const loader = (key: string | null) => (signal: AbortSignal) =>
    new Promise<T>((resolve, reject) => {
      started.push({ key: key ?? '(none)', signal, resolve, reject });
    });
  return { started, loader };
}

describe('useResource', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('loads nothing for a null key', () => {
    const { started, loader } = loads<string>();
    const hook = renderHook(() => useResource(null, loader(null)));
    expect(hook.result.current).toMatchObject({ data: null, error: null, loading: false });
    expect(started).toHaveLength(0);
  });

  it('shows loading, then the data of the key', async () => {
    const { started, loader } = loads<string>();
    const hook = renderHook(() => useResource('air', loader('air')));
    expect(hook.result.current).toMatchObject({ data: null, loading: true });
    act(() => started[0].resolve('air data'));
    await settle();
    expect(hook.result.current).toMatchObject({ data: 'air data', error: null, loading: false });
  });

  it("aborts the previous key's load and never shows its answer for the next key, even when it comes last", async () => {
    const { started, loader } = loads<string>();
    const hook = renderHook(({ key }) => useResource(key, loader(key)), { initialProps: { key: 'air' } });
    act(() => started[0].resolve('air data'));
    await settle();

    hook.rerender({ key: 'bins' });
    // What was shown belongs to another key: not shown while the new one loads.
    expect(hook.result.current).toMatchObject({ data: null, loading: true });
    hook.rerender({ key: 'noise' });
    expect(started.map((l) => l.key)).toEqual(['air', 'bins', 'noise']);
    expect(started[1].signal.aborted).toBe(true);
    expect(started[2].signal.aborted).toBe(false);
    act(() => started[2].resolve('noise data'));
    await settle();
    act(() => started[1].resolve('bins data (late)'));
    await settle();
    expect(hook.result.current).toMatchObject({ data: 'noise data', loading: false });
  });

  it('reloads the same key keeping what is shown until the new answer replaces it', async () => {
    const { started, loader } = loads<string>();
    const hook = renderHook(() => useResource('air', loader('air')));
    act(() => started[0].resolve('first'));
    await settle();
    act(() => hook.result.current.reload());
    expect(hook.result.current).toMatchObject({ data: 'first', loading: true });
    expect(started).toHaveLength(2);
    act(() => started[1].resolve('second'));
    await settle();
    expect(hook.result.current).toMatchObject({ data: 'second', loading: false });
  });

  it('shows a failure as problem details, keeps the data of the same key, and does not retry by itself', async () => {
    const { started, loader } = loads<string>();
    const hook = renderHook(() => useResource('air', loader('air')));
    act(() => started[0].resolve('first'));
    await settle();
    act(() => hook.result.current.reload());
    const problem = { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'analysts only' };
    act(() => started[1].reject(new ApiError(problem)));
    await settle();
    expect(hook.result.current).toMatchObject({ data: 'first', loading: false });
    expect(hook.result.current.error?.problem).toEqual(problem);
    expect(started).toHaveLength(2);
  });

  it('turns an unexpected failure into problem details with status 0 and its message', async () => {
    const { started, loader } = loads<string>();
    const hook = renderHook(() => useResource('air', loader('air')));
    act(() => started[0].reject(new SyntaxError('Unexpected token < in JSON')));
    await settle();
    expect(hook.result.current.error?.problem).toEqual({ type: 'about:blank', title: '', status: 0, detail: 'Unexpected token < in JSON' });
    expect(hook.result.current.data).toBeNull();
  });

  it('aborts the load in flight when unmounted', () => {
    const { started, loader } = loads<string>();
    const hook = renderHook(() => useResource('air', loader('air')));
    hook.unmount();
    expect(started[0].signal.aborted).toBe(true);
  });
});
