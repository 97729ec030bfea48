// Pure command-palette logic: ranking commands against typed text and moving the selection.

function norm(text) {
  return String(text ?? '').toLowerCase().normalize('NFKC');
}

/**
 * How well `command` ({label, keywords?}) matches `query`: null when some word of the query is
 * missing; otherwise a score where lower is better (label prefix < word start in label <
 * anywhere in label < only in keywords).
 */
export function matchScore(command, query) {
  const words = norm(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return 0;
  const label = norm(command.label);
  const extra = norm((command.keywords ?? []).join(' '));
  let score = 0;
  for (const w of words) {
    if (label.startsWith(w)) score += 0;
    else if (new RegExp(`(^|[\\s/·(（-])${escapeRe(w)}`).test(label)) score += 1;
    else if (label.includes(w)) score += 2;
    else if (extra.includes(w)) score += 3;
    else return null;
  }
  return score;
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The commands matching `query`, best first; ties keep their original order. */
export function filterCommands(commands, query) {
  return commands
    .map((command, index) => ({ command, index, score: matchScore(command, query) }))
    .filter((r) => r.score !== null)
    .sort((a, b) => a.score - b.score || a.index - b.index)
    .map((r) => r.command);
}

/** The next selected index after ArrowDown (+1) / ArrowUp (-1), wrapping; -1 for no items. */
export function moveSelection(current, delta, count) {
  if (count <= 0) return -1;
  if (current < 0) return delta > 0 ? 0 : count - 1;
  return (((current + delta) % count) + count) % count;
}
