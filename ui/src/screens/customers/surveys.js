// The customer page's "Satisfaction surveys" card: the customer's NPS (0–10) and CSAT (1–5)
// answers, newest first, with counts, and — for roles that may edit — a "Record answer" dialog
// that can link the answer to one of the customer's interactions or feedback items.
import { h, replaceChildren } from '../../dom.js';
import { t, formatDateTime } from '../../i18n.js';
import * as api from '../../api.js';
import { button, field, input, select, loading, loadFailed } from '../../components/form.js';
import { formDialog } from '../../components/form-dialog.js';
import { toast } from '../../components/toast.js';
import { checkSurveyScores, groupAnswers, surveyCounts } from '../../logic/survey.js';
import { toLocalInput, fromLocalInput } from '../../logic/interactions.js';
import { canEdit, card } from './common.js';

/** Mount the card for customer `customerId`; `archived` customers get no record button. */
export function mountCustomerSurveys(actor, customerId, { archived = false } = {}) {
  const body = h('div', { 'data-testid': 'survey-card-body' }, loading());
  const mayRecord = canEdit(actor) && !archived;
  const recordBtn = mayRecord ? button({ testid: 'survey-record', label: t('survey.record'), onclick: () => record() }) : null;
  const el = h('div', { 'data-testid': 'customer-surveys' }, card(t('survey.title'), recordBtn, body));
  let links = null;

  async function reload() {
    try {
      render(await api.surveyList(customerId));
    } catch (err) {
      replaceChildren(body, loadFailed(err, reload, 'survey-retry'));
    }
  }

  // The customer's interactions and feedback items, for the optional link (loaded once).
  async function loadLinks() {
    if (links) return links;
    const [inter, fb] = await Promise.all([
      api.interactionsList({ customer_id: customerId, page: { offset: 0, limit: 100 } }).catch(() => ({ items: [] })),
      api.feedbackList({}).catch(() => []),
    ]);
    links = {
      interactions: inter.items.filter((i) => i.customer_id === customerId),
      feedback: fb.filter((f) => f.customer_id === customerId),
    };
    return links;
  }

  const short = (s) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
  const interactionLabel = (i) => `${formatDateTime(i.occurred_at)} · ${short(i.subject || i.channel)}`;
  const feedbackLabel = (f) => `${f.number} · ${short(f.description)}`;

  function render(responses) {
    if (!responses.length) {
      replaceChildren(body, h('p', { class: 'muted', 'data-testid': 'survey-empty' }, t('survey.empty')));
      return;
    }
    const { nps, csat } = surveyCounts(responses);
    const known = links ?? { interactions: [], feedback: [] };
    const linkText = (line) => {
      if (line.interaction_id != null) {
        const i = known.interactions.find((x) => x.id === line.interaction_id);
        return t('survey.linked_interaction', { what: i ? interactionLabel(i) : `#${line.interaction_id}` });
      }
      if (line.feedback_id != null) {
        const f = known.feedback.find((x) => x.id === line.feedback_id);
        return t('survey.linked_feedback', { what: f ? feedbackLabel(f) : `#${line.feedback_id}` });
      }
      return '';
    };
    const score = (v) => (v == null ? '—' : String(v));
    replaceChildren(
      body,
      h('p', { class: 'muted small', 'data-testid': 'survey-counts' }, t('survey.counts', { nps, csat })),
      h(
        'table',
        { class: 'table', 'data-testid': 'survey-list' },
        h('thead', {}, h('tr', {}, [t('survey.col.at'), t('survey.col.nps'), t('survey.col.csat'), t('survey.col.comment'), t('survey.col.link')].map((x) => h('th', {}, x)))),
        h(
          'tbody',
          {},
          groupAnswers(responses).map((line) =>
            h(
              'tr',
              { 'data-testid': 'survey-row', dataset: { ids: line.ids.join(',') } },
              h('td', {}, formatDateTime(line.responded_at)),
              h('td', { 'data-testid': 'survey-row-nps' }, score(line.nps)),
              h('td', { 'data-testid': 'survey-row-csat' }, score(line.csat)),
              h('td', { 'data-testid': 'survey-row-comment' }, line.comment),
              h('td', { class: 'muted small' }, linkText(line)),
            ),
          ),
        ),
      ),
    );
  }

  async function record() {
    const known = await loadLinks();
    const nps = input({ testid: 'survey-nps', type: 'number', min: 0, max: 10, step: 1, inputmode: 'numeric' });
    const csat = input({ testid: 'survey-csat', type: 'number', min: 1, max: 5, step: 1, inputmode: 'numeric' });
    const at = input({ testid: 'survey-at', type: 'datetime-local', value: toLocalInput(new Date()) });
    const comment = h('textarea', { class: 'input', rows: 3, 'data-testid': 'survey-comment' });
    const link = select({
      testid: 'survey-link',
      choices: [
        ['', t('survey.link_none')],
        ...known.interactions.map((i) => [`i:${i.id}`, `${t('survey.link_interaction')} · ${interactionLabel(i)}`]),
        ...known.feedback.map((f) => [`f:${f.id}`, `${t('survey.link_feedback')} · ${feedbackLabel(f)}`]),
      ],
      value: '',
    });
    const done = await formDialog({
      title: t('survey.record_title'),
      testid: 'survey-dialog',
      prefix: 'survey',
      initialFocus: nps,
      fields: [
        h('p', { class: 'muted small' }, t('survey.one_required')),
        field({ name: 'nps', label: t('survey.field.nps'), control: nps, hint: t('survey.hint.nps') }),
        field({ name: 'csat', label: t('survey.field.csat'), control: csat, hint: t('survey.hint.csat') }),
        field({ name: 'responded_at', label: t('survey.field.at'), control: at, required: true }),
        field({ name: 'link', label: t('survey.field.link'), control: link }),
        field({ name: 'comment', label: t('survey.field.comment'), control: comment }),
      ],
      aliases: { interaction_id: 'link', feedback_id: 'link', score: 'nps' },
      action: async () => {
        const checked = checkSurveyScores({ nps: nps.value, csat: csat.value });
        if (checked.error) throw checked.error;
        const when = fromLocalInput(at.value);
        if (!when) throw { code: 'field.required', field: 'responded_at', params: null };
        const [type, idText] = link.value.split(':');
        const base = {
          customer_id: customerId,
          responded_at: when,
          interaction_id: type === 'i' ? Number(idText) : null,
          feedback_id: type === 'f' ? Number(idText) : null,
          comment: comment.value.trim(),
        };
        // One stored answer per question; both share the moment, links and comment.
        for (const a of checked.answers) await api.surveyRecord({ ...base, ...a });
        return checked.answers.length;
      },
    });
    if (done) {
      toast(t('survey.recorded'), { kind: 'success' });
      reload();
    }
  }

  // Links first so the list can name them; the list shows even if they fail to load.
  loadLinks().catch(() => null).then(reload);
  return { el, refresh: reload };
}
