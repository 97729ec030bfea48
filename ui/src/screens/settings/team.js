// Settings › Team: the team's name and time zone (editable by admins, read-only for others).
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import * as api from '../../api.js';
import { can, timeZoneChoices } from '../../logic/catalog.js';
import { field, input, select, formErrors, onSubmit, button } from '../../components/form.js';
import { toast } from '../../components/toast.js';
import { timeZoneLabel } from '../tz-label.js';
import { readOnlyNote, card, asyncPanel } from './common.js';
import { exportAllCard, backupsCard } from './data.js';

export function mountTeamTab({ actor, app }) {
  const editable = can(actor.role, 'team_edit');
  const panel = asyncPanel(() => api.teamGet(), (team) => (editable ? editForm(team, app) : readOnly(team)));
  const admin = actor.role === 'admin';
  return { el: h('div', { class: 'tab-body' }, editable ? null : readOnlyNote(), panel.el, admin ? backupsCard(app) : null, admin ? exportAllCard() : null), destroy: panel.destroy };
}

function readOnly(team) {
  return card(
    t('settings.team.title'),
    {},
    h('dl', { class: 'facts' }, h('dt', {}, t('settings.team.name')), h('dd', { 'data-testid': 'team-name-value' }, team.name), h('dt', {}, t('settings.team.timezone')), h('dd', { 'data-testid': 'team-timezone-value' }, timeZoneLabel(team.time_zone))),
  );
}

function editForm(team, app) {
  const name = input({ testid: 'team-name', value: team.name, maxlength: 200 });
  const tz = select({ testid: 'team-timezone', choices: timeZoneChoices(team.time_zone).map((z) => [z, timeZoneLabel(z)]), value: team.time_zone });
  const form = h(
    'form',
    { class: 'form narrow', 'data-testid': 'team-form', novalidate: true },
    h('div', { class: 'form-error-slot' }),
    field({ name: 'name', label: t('settings.team.name'), control: name, required: true }),
    field({ name: 'time_zone', label: t('settings.team.timezone'), control: tz, hint: t('settings.team.timezone_hint') }),
    h('div', { class: 'form-actions' }, button({ testid: 'team-save', kind: 'primary', type: 'submit', label: t('common.save') })),
  );
  onSubmit(form, formErrors(form), async () => {
    const saved = await api.teamUpdate({ name: name.value, time_zone: tz.value });
    name.value = saved.name;
    app.setTeamName(saved.name);
    toast(t('common.saved'), { kind: 'success' });
  });
  return card(t('settings.team.title'), {}, form);
}
