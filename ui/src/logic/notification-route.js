// Where a reminder leads: the page (hash route) that shows its item. Pure, unit-tested.

/** The hash route for an item of a reminder, or null when there is no page for it. */
export function routeForItem(itemKind, itemId) {
  const id = Number(itemId);
  switch (itemKind) {
    case 'feedback':
      return Number.isInteger(id) && id > 0 ? `#/feedback/${id}` : '#/feedback';
    case 'customer':
      return Number.isInteger(id) && id > 0 ? `#/customers/${id}` : '#/customers';
    case 'review':
      return '#/customers/review';
    case 'task':
      return '#/today';
    case 'change_request':
      return '#/customers';
    case 'care_occurrence':
    case 'care_holiday':
      return '#/plans';
    default:
      return null;
  }
}
