// Picks the module that renders a route's page inside the shell.
import { mountToday } from './today.js';
import { mountComing } from './coming.js';
import { mountSettings } from './settings/index.js';
import { mountFeedback } from './feedback/index.js';
import { mountInteractions } from './interactions/index.js';
import { mountCustomers } from './customers/index.js';
import { mountPlans } from './plans/index.js';
import { mountInsight } from './insight/index.js';

export function mountPage(route, ctx) {
  if (route.page === 'today') return mountToday(ctx);
  if (route.page === 'settings') return mountSettings(ctx);
  if (route.page === 'feedback') return mountFeedback(ctx);
  if (route.page === 'interactions') return mountInteractions(ctx);
  if (route.page === 'customers') return mountCustomers(ctx);
  if (route.page === 'plans') return mountPlans(ctx);
  if (route.page === 'reports') return mountInsight(ctx);
  return mountComing(route.page, ctx);
}
