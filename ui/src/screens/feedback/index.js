// The Feedback page's router: #/feedback (pool as a table), #/feedback/kanban (board) and
// #/feedback/<id> (one item).
import { mountFeedbackList } from './list.js';
import { mountFeedbackDetail } from './detail.js';

export function mountFeedback(ctx) {
  const sub = ctx.route.tab;
  if (sub && /^\d+$/.test(sub)) return mountFeedbackDetail(ctx, Number(sub));
  return mountFeedbackList(ctx, sub === 'kanban' ? 'kanban' : 'list');
}
