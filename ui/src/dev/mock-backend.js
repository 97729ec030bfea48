// DEV AID ONLY: an in-memory stand-in for the Rust core so screens can be viewed in a plain browser
// (loaded by api.js only without Tauri AND with ?mock=1). Not used by the app or the tests.
// Presets: &mockstate=fresh (default) | login | admin | staff ; &mocklocale=zh-CN|en ; &mustchange=1.

const params = new URLSearchParams(window.location.search);
const ROLES = ['admin', 'supervisor', 'head', 'staff', 'viewer'];

function fail(code, message, field = null, extra = null) {
  return Promise.reject({ code, message, field, params: extra });
}

const db = {
  team: null,
  users: [],
  departments: [],
  hours: { days: [] },
  days: [],
  session: null,
  nextId: 1,
};

function weekdays(intervals) {
  return { days: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, intervals: weekday <= 5 ? intervals.map((i) => ({ ...i })) : [] })) };
}

const CHINA_2026 = [
  ['2026-01-01', 'holiday', '元旦'], ['2026-01-02', 'holiday', '元旦'], ['2026-01-03', 'holiday', '元旦'], ['2026-01-04', 'workday', '元旦补班'],
  ['2026-02-14', 'workday', '春节补班'], ...Array.from({ length: 9 }, (_, i) => [`2026-02-${String(15 + i)}`, 'holiday', '春节']),
  ['2026-02-28', 'workday', '春节补班'], ['2026-04-04', 'holiday', '清明节'], ['2026-04-05', 'holiday', '清明节'], ['2026-04-06', 'holiday', '清明节'],
  ['2026-05-01', 'holiday', '劳动节'], ['2026-05-02', 'holiday', '劳动节'], ['2026-05-03', 'holiday', '劳动节'], ['2026-05-04', 'holiday', '劳动节'],
  ['2026-05-05', 'holiday', '劳动节'], ['2026-05-09', 'workday', '劳动节补班'],
];

function seedChina() {
  let added = 0;
  for (const [day, kind, name] of CHINA_2026) {
    if (!db.days.some((d) => d.day === day)) {
      db.days.push({ day, kind, name, source: 'cn-2026' });
      added++;
    }
  }
  db.days.sort((a, b) => a.day.localeCompare(b.day));
  return added;
}

function addUser(u) {
  const user = { id: db.nextId++, title: '', department_id: null, phone: '', email: '', locale: '', active: true, last_login_at: null, must_change_password: false, password: 'password1', ...u };
  db.users.push(user);
  return user;
}

function actorOf(u) {
  return { user_id: u.id, username: u.username, display_name: u.display_name, role: u.role, department_id: u.department_id, locale: u.locale, must_change_password: u.must_change_password };
}

function publicUser(u) {
  const { password, must_change_password, ...rest } = u;
  void password;
  void must_change_password;
  return rest;
}

function setupTeam(input) {
  db.team = { name: input.company_name.trim(), time_zone: input.time_zone };
  const en = input.locale === 'en';
  [['cs', '客服部', 'Customer Service'], ['sales', '销售部', 'Sales'], ['rnd', '研发部', 'R&D'], ['finance', '财务部', 'Finance'], ['marketing', '市场部', 'Marketing']].forEach(([code, zh, e], i) =>
    db.departments.push({ id: 100 + i, code, name: en ? e : zh, head_user_id: null, archived: false }));
  db.hours = input.lunch_break ? weekdays([{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }]) : weekdays([{ start: '09:00', end: '18:00' }]);
  seedChina();
  const admin = addUser({ username: input.admin_username.trim().toLowerCase(), display_name: input.admin_display_name.trim(), role: 'admin', password: input.admin_password, locale: input.locale });
  admin.last_login_at = Math.floor(Date.now() / 1000);
  db.session = actorOf(admin);
  return db.session;
}

function preset(state) {
  if (state === 'fresh') return;
  setupTeam({ company_name: '杭州云帆科技有限公司', admin_username: 'admin', admin_display_name: '王晓梅', admin_password: 'password1', time_zone: 'Asia/Shanghai', locale: params.get('mocklocale') ?? '', lunch_break: true });
  const cs = db.departments[0];
  const li = addUser({ username: 'lihua', display_name: '李华', role: 'supervisor', title: '客服主管', department_id: cs.id, phone: '138 0000 1234', email: 'lihua@example.cn', last_login_at: 1795400000 });
  addUser({ username: 'zhangwei', display_name: '张伟', role: 'staff', title: '客户经理', department_id: db.departments[1].id, phone: '139 1111 2222' });
  addUser({ username: 'chenjing', display_name: '陈静', role: 'head', title: '销售部经理', department_id: db.departments[1].id, email: 'chenjing@example.cn' });
  addUser({ username: 'boss', display_name: '赵总', role: 'viewer', title: '总经理' });
  addUser({ username: 'former', display_name: '刘洋', role: 'staff', active: false });
  cs.head_user_id = li.id;
  db.departments[4].archived = true;
  db.session = null;
  if (state === 'admin' || state === 'staff') {
    const u = state === 'admin' ? db.users[0] : db.users.find((x) => x.username === 'zhangwei');
    u.locale = params.get('mocklocale') ?? '';
    u.must_change_password = params.get('mustchange') === '1';
    db.session = actorOf(u);
  }
}
preset(params.get('mockstate') ?? 'fresh');

function need(role) {
  if (!db.session) return fail('auth.unauthenticated', 'not logged in');
  if (role && !role.includes(db.session.role)) return fail('auth.forbidden', `${db.session.role} may not do this`);
  return null;
}

function required(field, value) {
  return String(value ?? '').trim() === '' ? fail('field.required', `${field} is required`, field) : null;
}

function pw(value) {
  if ([...String(value)].length < 8) return fail('password.too_short', 'a password needs at least 8 characters', 'password');
  return null;
}

const handlers = {
  app_status: () => ({ setup_done: !!db.team, team_name: db.team?.name ?? null, session: db.session, version: '0.1.0-mock' }),
  setup_team: ({ input }) => {
    if (db.team) return fail('team.already_set_up', 'the team is already set up');
    return required('company_name', input.company_name) ?? required('username', input.admin_username) ?? required('display_name', input.admin_display_name) ?? pw(input.admin_password) ?? setupTeam(input);
  },
  login: ({ username, password }) => {
    const u = db.users.find((x) => x.username === String(username).trim().toLowerCase());
    if (username === 'locked') return fail('auth.throttled', 'too many failed attempts; try again in 90 s', null, { seconds: 90 });
    if (!u || !u.active || u.password !== password) return fail('auth.bad_credentials', 'wrong user name or password');
    u.last_login_at = Math.floor(Date.now() / 1000);
    db.session = actorOf(u);
    return db.session;
  },
  logout: () => {
    db.session = null;
    return null;
  },
  current_session: () => db.session,
  change_password: ({ oldPassword, newPassword }) => {
    const u = db.users.find((x) => x.id === db.session?.user_id);
    if (!u) return fail('auth.unauthenticated', 'not logged in');
    if (u.password !== oldPassword) return fail('password.old_wrong', 'the current password is wrong', 'old_password');
    if (oldPassword === newPassword) return fail('password.unchanged', 'choose a different password', 'new_password');
    const bad = pw(newPassword);
    if (bad) return bad;
    u.password = newPassword;
    u.must_change_password = false;
    db.session.must_change_password = false;
    return null;
  },
  set_locale: ({ locale }) => {
    const bad = need() ?? (['zh-CN', 'en', ''].includes(locale) ? null : fail('user.locale_invalid', 'unsupported language', 'locale'));
    if (bad) return bad;
    db.session.locale = locale;
    db.users.find((u) => u.id === db.session.user_id).locale = locale;
    return null;
  },
  team_get: () => need() ?? { ...db.team },
  team_update: ({ input }) => need(['admin']) ?? required('name', input.name) ?? ((db.team = { name: input.name.trim(), time_zone: input.time_zone }), { ...db.team }),
  departments_list: () => need() ?? db.departments.map((d) => ({ ...d })),
  department_save: ({ id, input }) => {
    const bad = need(['admin']) ?? required('code', input.code) ?? required('name', input.name);
    if (bad) return bad;
    if (!/^[A-Za-z0-9_-]+$/.test(input.code.trim())) return fail('department.code_invalid', 'use letters, digits, - or _', 'code');
    if (db.departments.some((d) => d.code === input.code.trim() && d.id !== id)) return fail('department.code_taken', 'this code is already used', 'code');
    const value = { code: input.code.trim(), name: input.name.trim(), head_user_id: input.head_user_id, archived: !!input.archived };
    if (id === null) {
      const d = { id: db.nextId++, ...value };
      db.departments.push(d);
      return { ...d };
    }
    const d = db.departments.find((x) => x.id === id);
    if (!d) return fail('not_found', 'department not found', null, { what: 'department' });
    Object.assign(d, value);
    return { ...d };
  },
  users_list: () => need() ?? db.users.map(publicUser),
  user_create: ({ input }) => {
    const bad = need(['admin']) ?? required('username', input.username) ?? required('display_name', input.display_name) ?? pw(input.password);
    if (bad) return bad;
    const name = input.username.trim().toLowerCase();
    if (!/^[a-z0-9._-]+$/.test(name)) return fail('user.username_invalid', 'invalid user name', 'username');
    if (db.users.some((u) => u.username === name)) return fail('user.username_taken', 'this user name is taken', 'username');
    if (!ROLES.includes(input.role)) return fail('user.role_invalid', 'unknown role', 'role');
    return publicUser(addUser({ ...input, username: name, must_change_password: true }));
  },
  user_update: ({ id, input }) => {
    const bad = need(['admin']) ?? required('display_name', input.display_name);
    if (bad) return bad;
    const u = db.users.find((x) => x.id === id);
    if (!u) return fail('not_found', 'user not found', null, { what: 'user' });
    const admins = db.users.filter((x) => x.role === 'admin' && x.active && x.id !== id).length;
    if (u.role === 'admin' && (input.role !== 'admin' || !input.active) && admins === 0) return fail('user.last_admin', 'the team needs at least one active admin');
    Object.assign(u, input);
    return publicUser(u);
  },
  user_reset_password: ({ id, password }) => {
    const bad = need(['admin']) ?? pw(password);
    if (bad) return bad;
    const u = db.users.find((x) => x.id === id);
    u.password = password;
    u.must_change_password = true;
    return null;
  },
  calendar_get: ({ year }) => need() ?? { time_zone: db.team.time_zone, hours: JSON.parse(JSON.stringify(db.hours)), days: db.days.filter((d) => year === null || d.day.startsWith(`${year}-`)).map((d) => ({ ...d })) },
  calendar_save_hours: ({ hours }) => need(['admin']) ?? ((db.hours = JSON.parse(JSON.stringify(hours))), null),
  calendar_set_day: ({ day, kind, name }) => {
    const bad = need(['admin', 'supervisor']);
    if (bad) return bad;
    db.days = db.days.filter((d) => d.day !== day);
    db.days.push({ day, kind, name, source: 'user' });
    db.days.sort((a, b) => a.day.localeCompare(b.day));
    return null;
  },
  calendar_remove_day: ({ day }) => need(['admin', 'supervisor']) ?? ((db.days = db.days.filter((d) => d.day !== day)), null),
  calendar_seed_china: () => need(['admin', 'supervisor']) ?? seedChina(),
  calendar_import_ical: ({ text }) => {
    const bad = need(['admin', 'supervisor']);
    if (bad) return bad;
    if (!String(text).includes('BEGIN:VCALENDAR')) return fail('calendar.ical_invalid', 'not an iCalendar file');
    const events = String(text).split('BEGIN:VEVENT').length - 1;
    return { holidays: events, workdays: 0 };
  },
};

/** Same signature as Tauri's invoke; answers after a short delay like a real call. */
export async function invoke(cmd, args = {}) {
  await new Promise((r) => setTimeout(r, 30));
  const fn = handlers[cmd];
  if (!fn) throw `command ${cmd} not found`;
  return fn(args);
}
