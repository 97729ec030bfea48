// The only module that talks to the app core: call(cmd, args) over Tauri's invoke, rejecting with
// ApiError {code, message, field, params}; plus one named helper per command of the UI contract.
// Without Tauri, and only with ?mock=1 in the URL, a separate in-browser mock answers (dev aid).
import { invoke } from '@tauri-apps/api/core';
import { ApiError, toApiError } from './logic/errors.js';

export { ApiError };

let backendPromise = null;
let unauthenticatedHandler = null;

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

/** Invoke a command; rejects with an ApiError. */
export async function call(cmd, args) {
  try {
    const run = await backend();
    return await run(cmd, args);
  } catch (reason) {
    const err = toApiError(reason);
    if (err.code === 'auth.unauthenticated' && unauthenticatedHandler && cmd !== 'login') unauthenticatedHandler(err);
    throw err;
  }
}

export const appStatus = () => call('app_status');
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
