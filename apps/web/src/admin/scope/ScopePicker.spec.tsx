import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import type { ScopeView } from '@cityops/contracts';
import { setLang } from '../../i18n';
import { FakeApi } from '../../testing/fake-api';
import { settle } from '../../testing/timers';
import { answerAreaRequests, LIWAN } from '../testing/demo-areas';
import { AreaDirectoryProvider } from './AreaDirectory';
import { ScopePicker } from './ScopePicker';

/** The picker as a form holds it; the last value is kept for the assertions. */
function Harness({ initial = [], onValue }: { initial?: ScopeView[]; onValue: (value: ScopeView[]) => void }) {
  const [value, setValue] = useState<ScopeView[]>(initial);
  return (
    <AreaDirectoryProvider>
      <ScopePicker
        value={value}
        onChange={(next) => {
          setValue(next);
          onValue(next);
        }}
      />
    </AreaDirectoryProvider>
  );
}

const areaBox = (code: string) =>
  within(screen.getByTestId('scope-picker'))
    .getAllByTestId('scope-area')
    .find((el) => el.dataset.code === code);
const checkbox = (code: string) => areaBox(code)?.querySelector('input') ?? null;
const chosenKeys = () =>
  screen.queryByTestId('scope-chosen')
    ? within(screen.getByTestId('scope-chosen'))
        .getAllByRole('listitem')
        .map((li) => li.dataset.key)
    : [];

describe('ScopePicker', () => {
  let api: FakeApi;
  let value: ScopeView[];

  beforeEach(() => {
    jest.useFakeTimers();
    setLang('zh');
    api = new FakeApi().install();
    value = [];
  });
  afterEach(() => {
    api.uninstall();
    jest.useRealTimers();
  });

  async function open(initial: ScopeView[] = []) {
    render(<Harness initial={initial} onValue={(v) => (value = v)} />);
    expect(screen.getByText('正在加载…')).toBeTruthy();
    // City to community in one go, and the zone sets.
    expect(api.pending('/api/areas').map((r) => r.query.get('level'))).toEqual(['city', 'district', 'street', 'community']);
    answerAreaRequests(api);
    await settle();
  }

  it('opens on the city with its districts, and chooses a district with everything inside it', async () => {
    await open();
    expect(screen.getByText('尚未选择范围')).toBeTruthy();
    expect(checkbox('440103')).not.toBeNull();
    expect(areaBox('440103001')).toBeUndefined();

    fireEvent.click(screen.getAllByTestId('scope-expand').find((b) => b.dataset.code === '440103')!);
    expect(checkbox('440103001')?.checked).toBe(false);
    fireEvent.click(checkbox('440103001')!);
    expect(value.map((s) => (s.kind === 'area' ? s.code : s.key))).toEqual(['440103001']);

    // The district holds the street: choosing it replaces the street, which shows as included.
    fireEvent.click(checkbox('440103')!);
    expect(chosenKeys()).toEqual(['area:440103']);
    expect(checkbox('440103001')).toMatchObject({ checked: true, disabled: true });
    expect(areaBox('440103001')?.title).toBe('已包含在“荔湾区”中');

    fireEvent.click(within(screen.getByTestId('scope-chosen')).getByRole('button', { name: '移除 荔湾区' }));
    expect(value).toEqual([]);
    expect(checkbox('440103001')).toMatchObject({ checked: false, disabled: false });
  });

  it("loads a community's grids when it is opened", async () => {
    await open();
    const expand = (code: string) => fireEvent.click(screen.getAllByTestId('scope-expand').find((b) => b.dataset.code === code)!);
    expand('440103');
    expand('440103001');
    expand('440103001001');
    const request = api.only('/api/areas');
    expect(request.query.get('parent')).toBe('553');
    answerAreaRequests(api);
    await settle();
    fireEvent.click(checkbox('440103001001002')!);
    expect(value).toEqual([
      expect.objectContaining({ kind: 'area', code: '440103001001002', level: 'grid', name: '荔湾区第1街道第1社区第2网格' }),
    ]);
    // Closing and opening again does not ask twice.
    expand('440103001001');
    expand('440103001001');
    expect(api.count('/api/areas')).toBe(5);
  });

  it('finds areas by name or code, grids included once they are loaded', async () => {
    await open();
    fireEvent.change(screen.getByTestId('scope-search'), { target: { value: '第1网格' } });
    // The first search of two characters or more loads every grid.
    expect(api.only('/api/areas').query.get('level')).toBe('grid');
    expect(screen.getByText('正在加载…')).toBeTruthy();
    answerAreaRequests(api);
    await settle();
    const results = within(screen.getByTestId('scope-results'));
    expect(results.getAllByTestId('scope-area').map((el) => el.dataset.code)).toEqual(['440103001001001']);
    expect(results.getByText('广州市 › 荔湾区 › 荔湾区第1街道 › 荔湾区第1街道第1社区')).toBeTruthy();

    fireEvent.change(screen.getByTestId('scope-search'), { target: { value: '440104' } });
    fireEvent.click(checkbox('440104')!);
    expect(chosenKeys()).toEqual(['area:440104']);
    fireEvent.change(screen.getByTestId('scope-search'), { target: { value: 'nowhere' } });
    expect(screen.getByText('没有匹配的区域')).toBeTruthy();
    expect(api.count('/api/areas')).toBe(5);
  });

  it('chooses whole zone sets, and shows a scope it was given by name', async () => {
    await open([{ kind: 'area', id: LIWAN.id, code: LIWAN.code, name: LIWAN.name, nameEn: LIWAN.nameEn, level: 'district' }]);
    expect(chosenKeys()).toEqual(['area:440103']);
    const festival = screen.getAllByTestId('scope-zone-set').find((el) => el.dataset.key === 'lantern-festival')!;
    expect(festival.textContent).toContain('江边灯光节');
    fireEvent.click(festival.querySelector('input')!);
    expect(value.map((s) => (s.kind === 'area' ? s.code : s.key))).toEqual(['440103', 'lantern-festival']);
    act(() => setLang('en'));
    expect(screen.getByTestId('scope-chosen').textContent).toContain('Riverside lantern festival');
    expect(screen.getByTestId('scope-chosen').textContent).toContain('Liwan District');
  });

  it('says when the areas cannot be loaded, and tries again on request', async () => {
    render(<Harness onValue={(v) => (value = v)} />);
    api.pending('/api/areas')[0].reply(503, { type: 'about:blank', title: 'Service unavailable', status: 503 });
    await settle();
    expect(screen.getByTestId('problem').dataset.status).toBe('503');
    for (const request of api.pending('/api/areas')) request.reply(200, []);
    for (const request of api.pending('/api/layers')) request.reply(200, []);
    await settle();
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    answerAreaRequests(api);
    await settle();
    expect(checkbox('440103')).not.toBeNull();
  });
});
