// The Customers page's router: #/customers (the list, with the quarter-end review banner above
// it), #/customers/<id> (one customer) and #/customers/review (the quarter-end review).
import { h } from '../../dom.js';
import { t, formatNumber } from '../../i18n.js';
import * as api from '../../api.js';
import { buildHash } from '../../router.js';
import { mountCustomerList } from './list.js';
import { mountCustomerDetail } from './detail.js';
import { mountReview } from './review.js';
import { reviewLabel, reviewStatus } from '../../logic/review.js';

export function mountCustomers(ctx) {
  const sub = ctx.route.tab;
  if (sub === 'review') return mountReview(ctx);
  if (sub && /^\d+$/.test(sub)) return mountCustomerDetail(ctx, Number(sub));
  const list = mountCustomerList(ctx);
  const banner = h('div', { class: 'cu-review-banner-slot' });
  list.el.prepend(banner);
  reviewBanner(ctx, banner);
  return list;
}

/** The way into the quarter-end review from the list: a notice while one is open, else a link. */
async function reviewBanner(ctx, slot) {
  const link = (label, kind) =>
    h('a', { class: ['btn', kind ? `btn-${kind}` : 'btn-ghost'], href: buildHash({ page: 'customers', tab: 'review' }), 'data-testid': 'customers-review-link', onclick: (e) => { e.preventDefault(); ctx.navigate({ page: 'customers', tab: 'review' }); } }, label);
  let reviews = [];
  try {
    reviews = await api.reviewList();
  } catch {
    // The list works without the banner; the review page shows the error itself.
  }
  const current = reviews.find((r) => reviewStatus(r, Date.now() / 1000) === 'open');
  if (current) {
    slot.append(
      h(
        'div',
        { class: 'notice cu-review-banner', 'data-testid': 'customers-review-banner' },
        h('span', {}, t('review.banner', { review: reviewLabel(current), confirmed: formatNumber(current.confirmed), total: formatNumber(current.total) })),
        link(t('review.open_page'), 'primary'),
      ),
    );
  } else {
    slot.append(h('div', { class: 'cu-review-banner' }, h('span'), link(t('review.title'))));
  }
}
