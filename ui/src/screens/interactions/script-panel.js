// The call-script panel (话术): pick a script by purpose, see it filled for this customer with
// the placeholders we had no value for highlighted, copy it, or log an interaction from it.
import { h, replaceChildren } from '../../dom.js';
import { t, locale, errorText } from '../../i18n.js';
import * as api from '../../api.js';
import { toast } from '../../components/toast.js';
import { scriptSegments } from '../../logic/interactions.js';

/** The channel a script's conversation usually happens on. */
export function channelForPurpose(purpose) {
  if (purpose === 'regular_callback' || purpose === 'satisfaction_callback') return 'callback';
  if (purpose === 'holiday_greeting') return 'greeting';
  return 'phone';
}

/** The panel for one customer; `onLog(preset)` opens the log dialog pre-filled. */
export function scriptPanel({ customerId, canLog, onLog }) {
  let templates = [];
  let filled = null;
  const purpose = h('select', { class: 'input select', 'data-testid': 'script-purpose', 'aria-label': t('script.purpose'), onchange: () => show() });
  const text = h('div', { class: 'ix-script-text', 'data-testid': 'script-text', 'aria-live': 'polite' });
  const missing = h('p', { class: 'ix-script-missing small', 'data-testid': 'script-missing' });
  const copy = h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'script-copy', disabled: true, onclick: async () => {
    try {
      await navigator.clipboard.writeText(filled.filled.text);
      toast(t('script.copied'), { kind: 'success' });
    } catch {
      toast(t('script.copy_failed'), { kind: 'error' });
    }
  } }, t('script.copy'));
  const log = canLog
    ? h('button', { type: 'button', class: 'btn btn-primary btn-sm', 'data-testid': 'script-log', disabled: true, onclick: () => {
        if (!filled) return;
        onLog?.({ channel: channelForPurpose(filled.template.purpose), subject: filled.template.title, key_points: filled.filled.text });
      } }, t('script.log'))
    : null;

  async function show() {
    const tpl = templates.find((x) => x.purpose === purpose.value);
    filled = null;
    copy.disabled = true;
    if (log) log.disabled = true;
    if (!tpl) {
      replaceChildren(text, h('p', { class: 'muted' }, t('script.none')));
      return;
    }
    try {
      filled = await api.templateFill(tpl.id, customerId);
    } catch (err) {
      replaceChildren(text, h('p', { class: 'form-error' }, errorText(err)));
      return;
    }
    replaceChildren(text, scriptSegments(filled.filled.text, filled.filled.missing).map((s) => (s.missing ? h('mark', { class: 'ix-missing', 'data-testid': 'script-placeholder' }, s.text) : s.text)));
    missing.textContent = filled.filled.missing.length ? t('script.missing', { list: filled.filled.missing.join(' ') }) : '';
    missing.hidden = !filled.filled.missing.length;
    copy.disabled = false;
    if (log) log.disabled = false;
  }

  async function load() {
    try {
      templates = await api.templateList(locale());
      if (!templates.length) templates = await api.templateList(null);
    } catch (err) {
      replaceChildren(text, h('p', { class: 'form-error' }, errorText(err)));
      return;
    }
    replaceChildren(purpose, ...templates.map((x) => h('option', { value: x.purpose }, x.title)));
    await show();
  }

  load();
  return h(
    'section',
    { class: 'card ix-script', 'data-testid': 'script-panel', 'aria-label': t('script.title') },
    h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, t('script.title')), purpose),
    text,
    missing,
    h('div', { class: 'ix-script-actions' }, copy, log),
  );
}
