// A language <select> (zh-CN / en) used on the setup and login screens and in the shell header.
import { select } from '../components/form.js';
import { t, locale, LOCALES } from '../i18n.js';

/** Each language is named in itself, so it can be found whatever the current language is. */
export function langPicker({ testid, onchange }) {
  const el = select({
    testid,
    choices: LOCALES.map((l) => [l, t(`lang.${l}`)]),
    value: locale(),
    'aria-label': t('lang.label'),
    class: 'input select lang-select',
  });
  el.addEventListener('change', () => onchange(el.value));
  return el;
}
