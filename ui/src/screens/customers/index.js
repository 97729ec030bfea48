// The Customers page's router: #/customers (the list) and #/customers/<id> (one customer).
import { mountCustomerList } from './list.js';
import { mountCustomerDetail } from './detail.js';

export function mountCustomers(ctx) {
  const sub = ctx.route.tab;
  if (sub && /^\d+$/.test(sub)) return mountCustomerDetail(ctx, Number(sub));
  return mountCustomerList(ctx);
}
