// The Ctrl/Cmd+K command palette: type to filter pages and actions, ↑/↓ to choose, Enter to run,
// Esc to close. Ranking lives in logic/palette-core.js.
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { filterCommands, moveSelection } from '../logic/palette-core.js';
import { openDialog } from './dialog.js';
import { icon } from './icons.js';

let current = null;

/** Is the palette open? */
export function paletteOpen() {
  return current !== null;
}

/** Open the palette over `commands` ([{id, label, hint?, icon?, keywords?, run}]). */
export function openPalette(commands) {
  if (current) return current;
  let results = commands;
  let selected = 0;
  const list = h('ul', { class: 'palette-list', role: 'listbox', id: 'palette-list', 'aria-label': t('palette.results') });
  const input = h('input', {
    class: 'input palette-input', type: 'text', 'data-testid': 'palette-input', role: 'combobox',
    'aria-expanded': 'true', 'aria-controls': 'palette-list', 'aria-autocomplete': 'list',
    placeholder: t('palette.placeholder'), autocomplete: 'off', spellcheck: 'false',
  });

  const run = (cmd) => {
    dlg.close(null);
    cmd.run();
  };
  const render = () => {
    clear(list);
    if (results.length === 0) {
      list.appendChild(h('li', { class: 'palette-empty', role: 'presentation' }, t('palette.no_results')));
      input.removeAttribute('aria-activedescendant');
      return;
    }
    results.forEach((cmd, i) => {
      const id = `palette-opt-${i}`;
      list.appendChild(
        h(
          'li',
          {
            id, role: 'option', class: ['palette-item', i === selected ? 'is-selected' : null],
            'aria-selected': i === selected ? 'true' : 'false', 'data-testid': 'palette-item', dataset: { command: cmd.id },
            onmousedown: (e) => e.preventDefault(), onclick: () => run(cmd),
          },
          icon(cmd.icon ?? 'command', { size: 18 }),
          h('span', { class: 'palette-label' }, cmd.label),
          cmd.hint ? h('span', { class: 'palette-hint' }, cmd.hint) : null,
        ),
      );
    });
    input.setAttribute('aria-activedescendant', `palette-opt-${selected}`);
    list.querySelector('.is-selected')?.scrollIntoView?.({ block: 'nearest' });
  };
  input.addEventListener('input', () => {
    results = filterCommands(commands, input.value);
    selected = results.length ? 0 : -1;
    render();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      selected = moveSelection(selected, e.key === 'ArrowDown' ? 1 : -1, results.length);
      render();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (selected >= 0 && results[selected]) run(results[selected]);
    }
  });

  const dlg = openDialog({
    title: t('palette.title'),
    body: [input, list, h('p', { class: 'palette-foot muted' }, t('palette.help'))],
    testid: 'palette',
    className: 'palette',
    initialFocus: input,
  });
  current = dlg;
  dlg.result.then(() => {
    current = null;
  });
  render();
  return dlg;
}
