import type { MessageKey, Params, Translate } from './i18n';

/**
 * The words of problems the server sends in English (RFC 9457 titles and details), for the
 * page's language: a status's title, and the details people meet most (signing in, sessions,
 * roles). A detail not listed here is shown as the server wrote it, so nothing is hidden.
 */
export const PROBLEM_ZH = {
  probBadRequest: '请求有误',
  probUnauthorized: '未登录或登录已失效',
  probForbidden: '无权进行此操作',
  probNotFound: '未找到',
  probConflict: '与现有内容冲突',
  probTooLarge: '内容过大',
  probUnsupportedType: '不支持的内容类型',
  probTooMany: '请求过于频繁',
  probServerError: '服务器出错',
  probUnavailable: '服务暂时不可用',
  probValidation: '填写有误',
  probPasswordChange: '请先修改密码',
  probWrongCredentials: '用户名或密码错误。',
  probDisplayToken: '显示终端令牌无效或已被吊销，请联系管理员重新发放。',
  probSessionExpired: '登录已过期，请重新登录。',
  probSignInFirst: '请先登录。',
  probTooManySignIns: '此处登录失败次数过多，请 {n} 分钟后再试。',
  probRoleForbids: '您的角色无权进行此操作。',
  probDisplayReadOnly: '显示终端只能查看大屏内容。',
  probRequestInvalid: '请按下列说明修改后重试。',
  probServerErrorDetail: '服务器发生意外错误，请稍后再试。',
};

export const PROBLEM_EN: Record<keyof typeof PROBLEM_ZH, string> = {
  probBadRequest: 'Bad request',
  probUnauthorized: 'Not signed in, or the session ended',
  probForbidden: 'Not allowed',
  probNotFound: 'Not found',
  probConflict: 'Conflicts with what exists',
  probTooLarge: 'Too large',
  probUnsupportedType: 'Unsupported content type',
  probTooMany: 'Too many requests',
  probServerError: 'Server error',
  probUnavailable: 'Service unavailable for now',
  probValidation: 'Some fields need fixing',
  probPasswordChange: 'Change your password first',
  probWrongCredentials: 'Wrong username or password.',
  probDisplayToken: 'The display token is unknown or was revoked; ask an admin for a new one.',
  probSessionExpired: 'The session has expired; sign in again.',
  probSignInFirst: 'Sign in first.',
  probTooManySignIns: 'Too many failed sign-ins from here; try again in {n} minutes.',
  probRoleForbids: 'Your role does not allow this.',
  probDisplayReadOnly: 'A display device reads only what the wall shows.',
  probRequestInvalid: 'Fix the fields listed and try again.',
  probServerErrorDetail: 'An unexpected error occurred; try again later.',
};

const TITLE_BY_CODE: Record<string, MessageKey> = {
  validation_failed: 'probValidation',
  password_change_required: 'probPasswordChange',
};

const TITLE_BY_STATUS: Record<number, MessageKey> = {
  400: 'probBadRequest',
  401: 'probUnauthorized',
  403: 'probForbidden',
  404: 'probNotFound',
  409: 'probConflict',
  413: 'probTooLarge',
  415: 'probUnsupportedType',
  429: 'probTooMany',
  500: 'probServerError',
  503: 'probUnavailable',
};

const DETAILS: { pattern: RegExp; key: MessageKey; params?: (m: RegExpExecArray) => Params }[] = [
  { pattern: /^Wrong username or password\.$/, key: 'probWrongCredentials' },
  { pattern: /^Unknown or revoked display token\.$/, key: 'probDisplayToken' },
  { pattern: /^The access token is invalid or has expired\.$/, key: 'probSessionExpired' },
  { pattern: /^The refresh token is not valid\.$/, key: 'probSessionExpired' },
  { pattern: /^Sign in first/, key: 'probSignInFirst' },
  {
    pattern: /^Too many failed sign-ins from here; try again in (\d+) minutes\.$/,
    key: 'probTooManySignIns',
    params: (m) => ({ n: m[1] }),
  },
  { pattern: /^Your role does not allow this\.$/, key: 'probRoleForbids' },
  { pattern: /^A display device reads only what the wall shows\.$/, key: 'probDisplayReadOnly' },
  { pattern: /^The request is not valid\.$/, key: 'probRequestInvalid' },
  { pattern: /^An unexpected error occurred\.$/, key: 'probServerErrorDetail' },
];

/** `urn:cityops:problem:<code>` → code. */
function codeOf(type: string): string | null {
  const match = /^urn:cityops:problem:(.+)$/.exec(type);
  return match ? match[1] : null;
}

/** A problem's title in the page's language: by its code, else by its status, else as sent. */
export function problemTitle(problem: { type: string; title: string; status: number }, t: Translate): string {
  const code = codeOf(problem.type);
  const key = (code && TITLE_BY_CODE[code]) || TITLE_BY_STATUS[problem.status];
  return key ? t(key) : problem.title;
}

/** A problem's detail in the page's language where it is a known one; otherwise as the server wrote it. */
export function problemDetail(detail: string, t: Translate): string {
  for (const { pattern, key, params } of DETAILS) {
    const match = pattern.exec(detail);
    if (match) return t(key, params?.(match));
  }
  return detail;
}
