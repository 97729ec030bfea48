// The only module that talks to the app core: call(cmd, args) over Tauri's invoke, rejecting with
// ApiError {code, message, field, params}; plus one named helper per command of the UI contract.
// Without Tauri, and only with ?mock=1 in the URL, a separate in-browser mock answers (dev aid).
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { ApiError, toApiError } from './logic/errors.js';

export { ApiError };

let backendPromise = null;
let unauthenticatedHandler = null;
let damagedHandler = null;

function backend() {
  if (!backendPromise) {
    if (window.__TAURI_INTERNALS__) {
      backendPromise = Promise.resolve(invoke);
    } else if (new URLSearchParams(window.location.search).get('mock') === '1') {
      backendPromise = import('./dev/mock-backend.js').then((m) => m.invoke);
    } else {
      backendPromise = Promise.reject(new ApiError({ code: 'app.no_backend', message: 'not running inside the Rapport app' }));
    }
  }
  return backendPromise;
}

/** Run `fn` whenever a command says the session has ended (not for log-in itself). */
export function onUnauthenticated(fn) {
  unauthenticatedHandler = fn;
}

/**
 * Run `fn` when the database is found damaged while the app runs: the integrity check, which
 * runs beside the app after start, sends an event, and every command refuses with
 * `recovery.damaged` from then on (so a missed event is caught by the next command).
 */
export function onDamaged(fn) {
  damagedHandler = fn;
  if (window.__TAURI_INTERNALS__) listen('database-damaged', () => fn());
}

/** Invoke a command; rejects with an ApiError. */
export async function call(cmd, args) {
  try {
    const run = await backend();
    return await run(cmd, args);
  } catch (reason) {
    const err = toApiError(reason);
    if (err.code === 'auth.unauthenticated' && unauthenticatedHandler && cmd !== 'login') unauthenticatedHandler(err);
    if (err.code === 'recovery.damaged') damagedHandler?.();
    throw err;
  }
}

export const appStatus = () => call('app_status');
export const recoveryStatus = () => call('recovery_status');
/** `{ backup: name }` or `{ path }`. */
export const recoveryRestore = (args) => call('recovery_restore', args);
export const backupPickFile = () => call('backup_pick_file');
export const backupList = () => call('backup_list');
export const backupNow = () => call('backup_now');
export const backupSaveAs = () => call('backup_save_as');
/** `{ backup: name }` or `{ path }`. */
export const backupRestore = (args) => call('backup_restore', args);
export const setupTeam = (input) => call('setup_team', { input });
export const login = (username, password) => call('login', { username, password });
export const logout = () => call('logout');
export const currentSession = () => call('current_session');
export const changePassword = (oldPassword, newPassword) => call('change_password', { oldPassword, newPassword });
export const setLocale = (locale) => call('set_locale', { locale });
export const teamGet = () => call('team_get');
export const teamUpdate = (input) => call('team_update', { input });
export const departmentsList = () => call('departments_list');
export const departmentSave = (id, input) => call('department_save', { id: id ?? null, input });
export const usersList = () => call('users_list');
export const userCreate = (input) => call('user_create', { input });
export const userUpdate = (id, input) => call('user_update', { id, input });
export const userResetPassword = (id, password) => call('user_reset_password', { id, password });
export const calendarGet = (year) => call('calendar_get', { year: year ?? null });
export const calendarSaveHours = (hours) => call('calendar_save_hours', { hours });
export const calendarSetDay = (day, kind, name) => call('calendar_set_day', { day, kind, name });
export const calendarRemoveDay = (day) => call('calendar_remove_day', { day });
export const calendarSeedChina = () => call('calendar_seed_china');
export const calendarImportIcal = (text) => call('calendar_import_ical', { text });

// Feedback (see docs/dev/ui-contract.md › Feedback).
export const feedbackList = (filter) => call('feedback_list', { filter: filter ?? {} });
export const feedbackGet = (id) => call('feedback_get', { id });
export const feedbackCreate = (input) => call('feedback_create', { input });
export const feedbackTransition = (id, input) => call('feedback_transition', { id, input });
export const feedbackAssign = (id, assignment) => call('feedback_assign', { id, assignment });
export const feedbackAssignMany = (ids, assignment) => call('feedback_assign_many', { ids, assignment });
export const feedbackSetDepartments = (id, lead, collaborators) => call('feedback_set_departments', { id, lead, collaborators });
export const feedbackRecordResponse = (id, input) => call('feedback_record_response', { id, input });
export const feedbackUpdateDetails = (id, input) => call('feedback_update_details', { id, input });
export const feedbackExplainDelay = (id, input) => call('feedback_explain_delay', { id, input });
export const feedbackRecordSatisfaction = (id, input) => call('feedback_record_satisfaction', { id, input });
export const feedbackMarkDuplicate = (id, ofId, comment) => call('feedback_mark_duplicate', { id, ofId, comment });
export const feedbackCategories = () => call('feedback_categories');
export const feedbackCategoryAdd = (parentId, code, input) => call('feedback_category_add', { parentId: parentId ?? null, code, input });
export const feedbackCategoryRename = (id, input) => call('feedback_category_rename', { id, input });
export const feedbackCategoryRetire = (id, retired) => call('feedback_category_retire', { id, retired });
export const feedbackCategoryDelete = (id) => call('feedback_category_delete', { id });
export const feedbackRoutingRules = () => call('feedback_routing_rules');
export const feedbackRoutingSet = (rule) => call('feedback_routing_set', { rule });
export const feedbackSlaPolicyGet = () => call('feedback_sla_policy_get');
export const feedbackSlaPolicySet = (policy) => call('feedback_sla_policy_set', { policy });
export const feedbackAssignmentModes = () => call('feedback_assignment_modes');
export const feedbackAssignmentModeSet = (departmentCode, mode) => call('feedback_assignment_mode_set', { departmentCode, mode });
export const customerLookup = (query) => call('customer_lookup', { query });
export const customerNames = (ids) => call('customer_names', { ids });

// Interactions, tasks, Today, call scripts, attachments (see docs/dev/ui-contract.md › Interactions).
export const interactionLog = (customerId, input, todos) => call('interaction_log', { customerId, input, todos: todos ?? [] });
export const interactionUpdate = (id, version, input) => call('interaction_update', { id, version, input });
export const interactionDelete = (id, version) => call('interaction_delete', { id, version });
export const interactionGet = (id) => call('interaction_get', { id });
export const interactionHistory = (id) => call('interaction_history', { id });
export const interactionTimeline = (customerId, channels, page) => call('interaction_timeline', { customerId, channels: channels ?? null, page: page ?? null });
export const interactionsList = (filter) => call('interactions_list', { filter: filter ?? {} });
export const interactionChannels = (includeArchived = false) => call('interaction_channels', { includeArchived });
export const customerContacts = (customerId) => call('customer_contacts', { customerId });
export const templateList = (locale) => call('template_list', { locale: locale ?? null });
export const templateGet = (id) => call('template_get', { id });
export const templateUpdate = (id, version, title, body) => call('template_update', { id, version, title, body });
export const templateReset = (id, version) => call('template_reset', { id, version });
export const attachmentLimitGet = () => call('attachment_limit_get');
export const attachmentLimitSet = (bytes) => call('attachment_limit_set', { bytes });
export const templateValues = (customerId, contactId) => call('template_values', { customerId, contactId: contactId ?? null });
export const templateFill = (id, customerId, contactId) => call('template_fill', { id, customerId, contactId: contactId ?? null });
export const attachmentPickAndAdd = (interactionId) => call('attachment_pick_and_add', { interactionId });
export const attachmentAddPath = (interactionId, path) => call('attachment_add_path', { interactionId, path });
export const attachmentList = (interactionId) => call('attachment_list', { interactionId });
export const attachmentRemove = (id) => call('attachment_remove', { id });
export const attachmentOpen = (id) => call('attachment_open', { id });
export const taskList = (filter) => call('task_list', { filter: filter ?? {} });
export const taskGet = (id) => call('task_get', { id });
export const taskCreate = (input) => call('task_create', { input });
export const taskComplete = (id, note) => call('task_complete', { id, note: note ?? null });
export const taskCancel = (id, note) => call('task_cancel', { id, note: note ?? null });
export const taskReopen = (id) => call('task_reopen', { id });
export const taskSnooze = (id, until) => call('task_snooze', { id, until });
export const today = () => call('today');
export const todayCare = (days) => call('today_care', { days });

/**
 * Files dropped onto the window (Tauri's drag-drop events; paths of the dropped files and the
 * drop position in CSS pixels). `handlers`: {over({x, y}), drop({paths, x, y}), leave()}.
 * Resolves with an unsubscribe function; outside the app nothing is ever dropped.
 */
export async function onFileDrop(handlers) {
  if (!window.__TAURI_INTERNALS__) return () => {};
  const scale = window.devicePixelRatio || 1;
  const pos = (p) => ({ x: (p?.position?.x ?? 0) / scale, y: (p?.position?.y ?? 0) / scale });
  const offs = await Promise.all([
    listen('tauri://drag-over', (e) => handlers.over?.(pos(e.payload))),
    listen('tauri://drag-enter', (e) => handlers.over?.(pos(e.payload))),
    listen('tauri://drag-leave', () => handlers.leave?.()),
    listen('tauri://drag-drop', (e) => handlers.drop?.({ paths: e.payload?.paths ?? [], ...pos(e.payload) })),
  ]);
  return () => offs.forEach((off) => off());
}

// Customers (see docs/dev/ui-contract.md › Customers). Files travel as base64 text.
export const customersList = (query) => call('customers_list', { query: query ?? {} });
export const customerGet = (id) => call('customer_get', { id });
export const customerHistory = (id) => call('customer_history', { id });
export const customerCreate = (input) => call('customer_create', { input });
export const customerUpdate = (id, input) => call('customer_update', { id, input });
export const customerChangesPending = () => call('customer_changes_pending');
export const customerChangeDecide = (id, approve, comment) => call('customer_change_decide', { id, approve, comment });
export const customerArchive = (id) => call('customer_archive', { id });
export const customerRestore = (id) => call('customer_restore', { id });
export const customerErase = (id, typedNumber) => call('customer_erase', { id, typedNumber });
export const customerCheckDuplicates = (probe) => call('customer_check_duplicates', { probe });
export const customerMerge = (survivorId, absorbedId) => call('customer_merge', { survivorId, absorbedId });
export const customerSearch = (query, limit) => call('customer_search', { query, limit: limit ?? null });
export const customerTags = () => call('customer_tags');
export const customerTagSave = (id, name, colour) => call('customer_tag_save', { id: id ?? null, name, colour });
export const customerIndustries = () => call('customer_industries');
export const customerIndustriesSave = (names) => call('customer_industries_save', { names });
export const customerKeyFields = () => call('customer_key_fields');
export const customerKeyFieldsSet = (fields) => call('customer_key_fields_set', { fields });
export const customerImportPreview = (data, filename, mapping) => call('customer_import_preview', { data, filename, mapping: mapping ?? null });
export const customerImportApply = (data, filename, mapping, policy) => call('customer_import_apply', { data, filename, mapping, policy });
export const customerExport = (query, format, layout) => call('customer_export', { query: query ?? {}, format, layout });
export const customerViewsList = () => call('customer_views_list');
export const customerViewSave = (id, input) => call('customer_view_save', { id: id ?? null, input });
export const customerViewRename = (id, name) => call('customer_view_rename', { id, name });
export const customerViewDelete = (id) => call('customer_view_delete', { id });
export const customerBulk = (input) => call('customer_bulk', { input });
// Quarter-end review (清查) and the merge preview.
export const reviewList = () => call('review_list');
export const reviewGet = (id, ownerUserId) => call('review_get', { id, ownerUserId: ownerUserId ?? null });
export const reviewConfirm = (input) => call('review_confirm', { input });
export const customerMergePreview = (survivorId, absorbedId) => call('customer_merge_preview', { survivorId, absorbedId });

/** Call `fn({done, total})` on each `import-progress` event; resolves to an unsubscribe function. */
export async function onImportProgress(fn) {
  if (!window.__TAURI_INTERNALS__) return () => {};
  return listen('import-progress', (e) => fn(e.payload));
}

// Reminders and the notification centre.
export const remindersInbox = (unreadOnly) => call('reminders_inbox', { unreadOnly: !!unreadOnly });
export const remindersUnreadCount = () => call('reminders_unread_count');
export const remindersMarkRead = (id) => call('reminders_mark_read', { id });
export const remindersMarkAllRead = () => call('reminders_mark_all_read');
export const notificationPrefsGet = () => call('notification_prefs_get');
export const notificationPrefsSave = (prefs) => call('notification_prefs_save', { prefs });
export const desktopCloseToTrayGet = () => call('desktop_close_to_tray_get');
export const desktopCloseToTraySet = (on) => call('desktop_close_to_tray_set', { on });
export const desktopAutostartGet = () => call('desktop_autostart_get');
export const desktopAutostartSet = (on) => call('desktop_autostart_set', { on });
/** The Plans page: {today, entries} for {from, to} (ISO dates), filter {owner, kinds}. */
export const plansCalendar = ({ from, to }, filter) => call('plans_calendar', { from, to, filter: filter ?? null });
/** Listen for the scheduler's unread count; resolves to an unlisten function. */
export const onRemindersChanged = (fn) => (window.__TAURI_INTERNALS__ ? listen('reminders-changed', (e) => fn(e.payload)) : Promise.resolve(() => {}));
/** Listen for clicks on desktop notifications; resolves to an unlisten function. */
export const onOpenItem = (fn) => (window.__TAURI_INTERNALS__ ? listen('open-item', (e) => fn(e.payload)) : Promise.resolve(() => {}));

// Insight: dashboard figures and survey answers.
/** Every dashboard figure for filter {preset, from, to, department_id, owner_user_id, no_contact_days}. */
export const insightDashboard = (filter) => call('insight_dashboard', { filter: filter ?? null });
/** Record an NPS (0–10) or CSAT (1–5) answer: {customer_id, kind, score, responded_at?, interaction_id?, feedback_id?, comment}. */
export const surveyRecord = (input) => call('survey_record', { input });
/** A customer's survey answers, newest first. */
export const surveyList = (customerId) => call('survey_list', { customerId });
/** Preview importing a survey tool's export (base64): mapping, rows, row errors; writes nothing. */
export const surveyImportPreview = (data, filename, mapping) => call('survey_import_preview', { data, filename, mapping: mapping ?? null });
/** Import a survey tool's export in one transaction (all rows or none), skipping stored answers. */
export const surveyImportApply = (data, filename, mapping) => call('survey_import_apply', { data, filename, mapping });
/** A report: request {kind: monthly_complaints|quarterly_callbacks|service_quality, from, to?, department_id?, owner_user_id?}. */
export const reportBuild = (request) => call('report_build', { request });
/** Export a report as XLSX into the data folder's exports/; resolves to {path, filename, bytes}. */
export const reportExport = (request, lang) => call('report_export', { request, lang });
/** Export the feedback list as filtered (every matching item) as XLSX in table 3's layout; resolves to {path, filename, bytes}. */
export const feedbackExport = (filter, lang) => call('feedback_export', { filter, lang });
/** Export the interaction list as filtered (every page) as XLSX in table 2's layout; resolves to {path, filename, bytes}. */
export const interactionsExport = (filter, lang) => call('interactions_export', { filter, lang });

// Demo data (admin, empty install only) and export everything (admin).
/** Load the small demo set; refused once customers exist. */
export const demoLoad = () => call('demo_load');
/** Write every table and attachment into a zip in the data folder's exports folder. */
export const dataExportAll = () => call('data_export_all');
