import { describe, expect, it } from 'vitest';
import {
  allOpen,
  checkInputs,
  defaultAsOf,
  downloadUrl,
  drillDownHref,
  formatShare,
  isOverdue,
  kyivToday,
  reportPath,
  toggled,
  type DisciplineCounts,
  type DisciplineReport,
} from '../src/pages/discipline/state';
import { matchRoute } from '../src/router';

const counts = (over: Partial<DisciplineCounts> = {}): DisciplineCounts => ({
  in_work: 0,
  due_soon: 0,
  overdue: 0,
  overdue_days_max: 0,
  finished_on_time: 0,
  finished_late: 0,
  late_share: 0,
  ...over,
});

describe('discipline report page', () => {
  it('is drawn up as of the 21st, or today before the 21st', () => {
    expect(defaultAsOf('2026-12-03')).toBe('2026-12-03');
    expect(defaultAsOf('2026-12-20')).toBe('2026-12-20');
    expect(defaultAsOf('2026-12-21')).toBe('2026-12-21');
    expect(defaultAsOf('2026-12-31')).toBe('2026-12-21');
  });

  it("takes today's date in Kyiv, not in UTC", () => {
    // 22:30 UTC on Dec 20 is already Dec 21 in Kyiv (UTC+2 in winter).
    expect(kyivToday(new Date('2026-12-20T22:30:00Z'))).toBe('2026-12-21');
    expect(kyivToday(new Date('2026-12-20T21:30:00Z'))).toBe('2026-12-20');
  });

  it('checks the date and the number of working days before asking the server', () => {
    expect(checkInputs('2026-12-21', '2')).toEqual({ ok: true, asOf: '2026-12-21', within: 2 });
    expect(checkInputs('2026-12-21', '0')).toEqual({ ok: true, asOf: '2026-12-21', within: 0 });
    expect(checkInputs('2026-02-29', '2')).toMatchObject({ ok: false, field: 'as_of' });
    expect(checkInputs('', '2')).toMatchObject({ ok: false, field: 'as_of' });
    expect(checkInputs('2026-12-21', '-1')).toMatchObject({ ok: false, field: 'within' });
    expect(checkInputs('2026-12-21', '2.5')).toMatchObject({ ok: false, field: 'within' });
    expect(checkInputs('2026-12-21', '61')).toMatchObject({ ok: false, field: 'within' });
    expect(checkInputs('2026-12-21', '')).toMatchObject({ ok: false, field: 'within' });
  });

  it('asks for the report and the files of the center', () => {
    expect(reportPath(3, '2026-12-21', 2)).toBe('/centers/3/reports/discipline?as_of=2026-12-21&within=2');
    expect(downloadUrl(3, '2026-12-21', 2, 'csv')).toBe('/api/v1/centers/3/reports/discipline.csv?as_of=2026-12-21&within=2');
    expect(downloadUrl(3, '2026-12-21', 5, 'xlsx')).toBe('/api/v1/centers/3/reports/discipline.xlsx?as_of=2026-12-21&within=5');
  });

  it('opens the register of cases behind a count', () => {
    expect(drillDownHref(3, 5, 12, 'overdue', '2026-12-21')).toBe(
      '/cases?center=3&provider_id=5&service_id=12&due=overdue&as_of=2026-12-21',
    );
    expect(drillDownHref(3, 5, null, 'due_soon', '2026-12-21')).toBe('/cases?center=3&provider_id=5&due=soon&as_of=2026-12-21');
    expect(drillDownHref(3, 5, 12, 'in_work', '2026-12-21')).toBe('/cases?center=3&provider_id=5&service_id=12&as_of=2026-12-21');
  });

  it('expands and folds providers one at a time, or all at once', () => {
    const one = toggled(new Set(), 5);
    expect([...one]).toEqual([5]);
    expect([...toggled(one, 7)].sort()).toEqual([5, 7]);
    expect([...toggled(one, 5)]).toEqual([]);
    expect([...one]).toEqual([5]); // the old set is left as it was
    const report: DisciplineReport = {
      as_of: '2026-12-21',
      within: 2,
      month_from: '2026-12-01',
      providers: [
        { provider_id: 5, provider_name: 'А', services: [], ...counts() },
        { provider_id: 7, provider_name: 'Б', services: [], ...counts() },
      ],
      total: counts(),
    };
    expect([...allOpen(report)].sort()).toEqual([5, 7]);
  });

  it('marks overdue rows and writes the late share as people do', () => {
    expect(isOverdue(counts({ overdue: 1 }))).toBe(true);
    expect(isOverdue(counts({ due_soon: 3 }))).toBe(false);
    expect(formatShare('uk', 3.23).replace(/\s/g, ' ')).toBe('3,23 %');
    expect(formatShare('uk', 0.45).replace(/\s/g, ' ')).toBe('0,45 %');
    expect(formatShare('en', 3.2)).toBe('3.20%');
  });

  it('has its route', () => {
    expect(matchRoute('/reports/discipline', '?center=4')).toEqual({ page: 'discipline', center: 4 });
    expect(matchRoute('/reports/discipline/', '')).toEqual({ page: 'discipline', center: null });
  });
});
