// The one error shape the UI deals with (ApiError: code, message, field, params), how any
// rejection is turned into it, and how it becomes translated text. Pure: usable in tests.

/** A command failure as the core reports it: `{code, message, field, params}`. */
export class ApiError extends Error {
  constructor({ code = 'unknown', message = '', field = null, params = null } = {}) {
    super(message || code);
    this.name = 'ApiError';
    this.code = String(code);
    this.field = field ?? null;
    this.params = params && typeof params === 'object' ? params : null;
    this.detail = message || '';
  }
}

/** Whatever a rejected `invoke` gave us → an ApiError. */
export function toApiError(reason) {
  if (reason instanceof ApiError) return reason;
  if (reason && typeof reason === 'object' && typeof reason.code === 'string') {
    return new ApiError({
      code: reason.code,
      message: typeof reason.message === 'string' ? reason.message : '',
      field: typeof reason.field === 'string' ? reason.field : null,
      params: reason.params,
    });
  }
  if (reason instanceof Error) return new ApiError({ code: 'unknown', message: reason.message });
  if (typeof reason === 'string') return new ApiError({ code: 'unknown', message: reason });
  return new ApiError({ code: 'unknown', message: String(reason ?? '') });
}

/**
 * Translated text for an error: `error.<code>` with the error's params when the catalog has it,
 * else `error.unknown` carrying the core's English message.
 * `has(key)` and `t(key, params)` come from the i18n layer.
 */
export function errorMessage(err, { t, has }) {
  const e = toApiError(err);
  const key = `error.${e.code}`;
  if (e.code !== 'unknown' && has(key)) return t(key, { ...(e.params ?? {}), message: e.detail });
  return t('error.unknown', { message: e.detail || e.code });
}
