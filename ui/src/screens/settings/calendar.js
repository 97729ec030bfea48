// Settings › Calendar: the weekly business hours editor, and per year the holidays (法定节假日) and
// make-up working days (调休上班): add, remove, seed the 2026 mainland-China days, import iCal.
import { h, replaceChildren, options } from '../../dom.js';
import { t, tOr, formatDate, formatWeekday, formatNumber } from '../../i18n.js';
import * as api from '../../api.js';
import { can } from '../../logic/catalog.js';
import { checkWeeklyHours, fullWeek, isIsoDay, isoWeekday, weeklyMinutes } from '../../logic/validate.js';
import { field, input, select, formErrors, onSubmit, button, loading, loadFailed } from '../../components/form.js';
import { confirm } from '../../components/dialog.js';
import { toast, toastError } from '../../components/toast.js';
import { icon } from '../../components/icons.js';
import { readOnlyNote, card } from './common.js';

const MAX_ICAL_BYTES = 2 * 1024 * 1024;

export function mountCalendarTab({ actor }) {
  const editHours = can(actor.role, 'hours_edit');
  const editDays = can(actor.role, 'calendar_edit');
  const thisYear = new Date().getFullYear();
  let year = thisYear;
  let alive = true;
  const el = h('div', { class: 'tab-body' }, loading());

  const init = async () => {
    try {
      const view = await api.calendarGet(year);
      if (!alive) return;
      replaceChildren(el, editHours && editDays ? null : readOnlyNote(editDays ? 'calendar.read_only_hours' : 'settings.read_only'), hoursCard(view, editHours), daysCard(view));
    } catch (err) {
      if (alive) replaceChildren(el, loadFailed(err, init, 'calendar-retry'));
    }
  };

  function daysCard(initial) {
    const tableSlot = h('div', { class: 'days-slot' });
    const summary = h('p', { class: 'import-summary', 'data-testid': 'calendar-import-summary', role: 'status', hidden: true });
    const years = [thisYear - 1, thisYear, thisYear + 1, thisYear + 2];
    if (!years.includes(2026)) years.push(2026);
    years.sort((a, b) => a - b);
    const yearSel = h('select', { class: 'input select', 'data-testid': 'calendar-year', 'aria-label': t('calendar.year') }, options(years.map((y) => [y, t('calendar.year_option', { year: y })]), year));

    const reloadDays = async () => {
      try {
        const view = await api.calendarGet(year);
        if (alive) replaceChildren(tableSlot, daysTable(view.days));
      } catch (err) {
        if (alive) replaceChildren(tableSlot, loadFailed(err, reloadDays, 'calendar-days-retry'));
      }
    };
    yearSel.addEventListener('change', () => {
      year = Number(yearSel.value);
      replaceChildren(tableSlot, loading());
      reloadDays();
    });

    const removeDay = async (d) => {
      const ok = await confirm({
        title: t('calendar.remove_title'),
        message: t('calendar.remove_message', { date: formatDate(d.day), name: d.name || t(`calendar.kind.${d.kind}`) }),
        confirmLabel: t('calendar.remove'),
        danger: true,
      });
      if (!ok) return;
      try {
        await api.calendarRemoveDay(d.day);
        toast(t('calendar.removed', { date: formatDate(d.day) }), { kind: 'success' });
        reloadDays();
      } catch (err) {
        toastError(err);
      }
    };

    const daysTable = (days) => {
      if (!days.length) {
        return h('div', { class: 'empty-state', 'data-testid': 'calendar-days-empty' }, h('p', {}, t('calendar.empty', { year })), editDays ? h('p', { class: 'muted' }, t('calendar.empty_next')) : null);
      }
      return h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table', 'data-testid': 'calendar-day-table' },
          h('thead', {}, h('tr', {}, h('th', {}, t('calendar.date')), h('th', {}, t('calendar.weekday')), h('th', {}, t('calendar.kind')), h('th', {}, t('calendar.name')), h('th', {}, t('calendar.source')), editDays ? h('th', { class: 'col-actions' }, h('span', { class: 'sr-only' }, t('common.actions'))) : null)),
          h(
            'tbody',
            {},
            days.map((d) =>
              h(
                'tr',
                { 'data-testid': 'calendar-day-row', dataset: { day: d.day, kind: d.kind } },
                h('td', { class: 'nowrap' }, formatDate(d.day)),
                h('td', {}, isoWeekday(d.day) ? formatWeekday(isoWeekday(d.day), 'short') : ''),
                h('td', {}, h('span', { class: ['badge', d.kind === 'holiday' ? 'badge-holiday' : 'badge-workday'] }, tOr(`calendar.kind.${d.kind}`, d.kind))),
                h('td', {}, d.name),
                h('td', { class: 'muted' }, tOr(`calendar.source.${d.source}`, d.source ?? '')),
                editDays ? h('td', { class: 'col-actions' }, button({ testid: 'calendar-remove-day', kind: 'ghost', class: 'btn btn-ghost btn-danger-text', label: t('calendar.remove'), 'aria-label': t('calendar.remove_named', { date: d.day }), onclick: () => removeDay(d) })) : null,
              ),
            ),
          ),
        ),
      );
    };

    const seed = async (btn) => {
      btn.disabled = true;
      try {
        const added = await api.calendarSeedChina();
        toast(added > 0 ? t('calendar.seeded', { count: formatNumber(added) }) : t('calendar.seeded_none'), { kind: 'success' });
        year = 2026;
        yearSel.value = '2026';
        await reloadDays();
      } catch (err) {
        toastError(err);
      } finally {
        btn.disabled = false;
      }
    };

    const fileInput = h('input', { type: 'file', accept: '.ics', class: 'visually-hidden', 'data-testid': 'calendar-import-ical', id: 'calendar-import-file' });
    fileInput.addEventListener('change', async () => {
      const file = fileInput.files?.[0];
      fileInput.value = '';
      if (!file) return;
      summary.hidden = true;
      if (file.size > MAX_ICAL_BYTES) {
        toast(t('calendar.import_too_big'), { kind: 'error' });
        return;
      }
      try {
        const text = await file.text();
        const result = await api.calendarImportIcal(text);
        summary.textContent = t('calendar.import_summary', { file: file.name, holidays: formatNumber(result.holidays), workdays: formatNumber(result.workdays) });
        summary.hidden = false;
        await reloadDays();
      } catch (err) {
        toastError(err);
      }
    });

    const actions = [
      yearSel,
      editDays ? h('button', { type: 'button', class: 'btn', 'data-testid': 'calendar-seed-china', onclick: (e) => seed(e.currentTarget) }, t('calendar.seed_china')) : null,
      editDays ? h('label', { class: 'btn file-btn', for: 'calendar-import-file' }, icon('upload', { size: 16 }), t('calendar.import_ical'), fileInput) : null,
    ];
    replaceChildren(tableSlot, daysTable(initial.days));
    return card(t('calendar.days_title'), { actions, testid: 'calendar-days' }, h('p', { class: 'muted small' }, t('calendar.days_intro')), editDays ? addDayForm(reloadDays) : null, summary, tableSlot);
  }

  init();
  return { el, destroy: () => { alive = false; } };
}

function addDayForm(onAdded) {
  const day = input({ testid: 'calendar-day-date', placeholder: 'YYYY-MM-DD', maxlength: 10, inputmode: 'numeric', class: 'input date-input' });
  const kind = select({ testid: 'calendar-day-kind', choices: [['holiday', t('calendar.kind.holiday')], ['workday', t('calendar.kind.workday')]], value: 'holiday' });
  const name = input({ testid: 'calendar-day-name', maxlength: 200, placeholder: t('calendar.name_placeholder') });
  const form = h(
    'form',
    { class: 'form inline-form', 'data-testid': 'calendar-day-form', novalidate: true },
    h('div', { class: 'form-error-slot' }),
    h(
      'div',
      { class: 'inline-fields' },
      field({ name: 'day', label: t('calendar.date'), control: day, required: true }),
      field({ name: 'kind', label: t('calendar.kind'), control: kind, required: true }),
      field({ name: 'name', label: t('calendar.name'), control: name }),
      h('div', { class: 'inline-submit' }, button({ testid: 'calendar-add-day', kind: 'primary', type: 'submit' }, icon('plus', { size: 16 }), t('calendar.add_day'))),
    ),
  );
  onSubmit(form, formErrors(form), async () => {
    const value = day.value.trim();
    if (!isIsoDay(value)) throw { code: 'calendar.date_invalid', field: 'day' };
    await api.calendarSetDay(value, kind.value, name.value.trim());
    toast(t('calendar.added', { date: formatDate(value) }), { kind: 'success' });
    day.value = '';
    name.value = '';
    day.focus();
    await onAdded();
  });
  return form;
}

function hoursCard(view, editable) {
  const saved = fullWeek(view.hours);
  let draft = fullWeek(saved);
  const tbody = h('tbody');
  const total = h('p', { class: 'muted small', 'data-testid': 'calendar-hours-total' });
  const updateTotal = () => {
    const minutes = weeklyMinutes(draft);
    total.textContent = t('calendar.hours_total', { hours: formatNumber(Math.round((minutes / 60) * 10) / 10) });
  };

  const renderRows = () => {
    replaceChildren(
      tbody,
      draft.days.map((d) => {
        const dayName = formatWeekday(d.weekday);
        const intervals = d.intervals.map((iv, i) => {
          if (!editable) return h('span', { class: 'interval-chip' }, `${iv.start}–${iv.end}`);
          const start = input({ testid: 'calendar-interval-start', value: iv.start, maxlength: 5, placeholder: '09:00', class: 'input time-input', 'aria-label': t('calendar.interval_start', { day: dayName }) });
          const end = input({ testid: 'calendar-interval-end', value: iv.end, maxlength: 5, placeholder: '18:00', class: 'input time-input', 'aria-label': t('calendar.interval_end', { day: dayName }) });
          start.addEventListener('input', () => { iv.start = start.value.trim(); updateTotal(); });
          end.addEventListener('input', () => { iv.end = end.value.trim(); updateTotal(); });
          const remove = h('button', { type: 'button', class: 'btn btn-ghost btn-icon', 'data-testid': 'calendar-interval-remove', 'aria-label': t('calendar.interval_remove', { day: dayName }), title: t('calendar.interval_remove', { day: dayName }), onclick: () => {
            d.intervals.splice(i, 1);
            renderRows();
          } }, icon('close', { size: 14 }));
          return h('span', { class: 'interval' }, start, h('span', { 'aria-hidden': 'true' }, '–'), end, remove);
        });
        return h(
          'tr',
          { 'data-testid': 'calendar-weekday', dataset: { weekday: d.weekday }, class: d.weekday >= 6 ? 'weekend' : null },
          h('th', { scope: 'row' }, dayName),
          h('td', {}, h('div', { class: 'intervals' }, intervals.length ? intervals : h('span', { class: 'muted' }, t('calendar.day_off')))),
          editable
            ? h('td', { class: 'col-actions' }, h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'calendar-interval-add', 'aria-label': t('calendar.interval_add_named', { day: dayName }), onclick: () => {
                const last = d.intervals[d.intervals.length - 1];
                d.intervals.push(last ? { start: last.end, end: last.end === '24:00' ? '24:00' : '18:00' } : { start: '09:00', end: '18:00' });
                renderRows();
                tbody.querySelector(`tr[data-weekday="${d.weekday}"] .interval:last-child input`)?.focus();
              } }, icon('plus', { size: 14 }), t('calendar.interval_add')))
            : null,
        );
      }),
    );
    updateTotal();
  };
  renderRows();

  const table = h('div', { class: 'table-wrap', dataset: { field: 'intervals' } }, h('table', { class: 'table hours-table', 'data-testid': 'calendar-hours' }, tbody));
  const intro = h('p', { class: 'muted small' }, t('calendar.hours_intro', { tz: view.time_zone }));
  if (!editable) return card(t('calendar.hours_title'), { testid: 'calendar-hours-card' }, intro, table, total);

  const form = h(
    'form',
    { class: 'form', 'data-testid': 'calendar-hours-form', novalidate: true },
    h('div', { class: 'form-error-slot' }),
    table,
    h(
      'div',
      { class: 'form-actions' },
      total,
      h('div', { class: 'topbar-spacer' }),
      button({ testid: 'calendar-hours-reset', label: t('calendar.hours_reset'), onclick: () => {
        draft = fullWeek(saved);
        errors.clear();
        renderRows();
      } }),
      button({ testid: 'calendar-hours-save', kind: 'primary', type: 'submit', label: t('calendar.hours_save') }),
    ),
  );
  const errors = formErrors(form, { aliases: { weekday: 'intervals' } });
  onSubmit(form, errors, async () => {
    const problem = checkWeeklyHours(draft);
    if (problem) throw problem;
    await api.calendarSaveHours(draft);
    Object.assign(saved, fullWeek(draft));
    toast(t('calendar.hours_saved'), { kind: 'success' });
  });
  return card(t('calendar.hours_title'), { testid: 'calendar-hours-card' }, intro, form);
}
