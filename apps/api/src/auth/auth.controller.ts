import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  changePasswordSchema,
  kioskLoginSchema,
  loginResponseSchema,
  loginSchema,
  principalViewSchema,
  refreshSchema,
  sessionUserSchema,
  signedOutSchema,
  type ChangePasswordRequest,
  type KioskLoginRequest,
  type LoginRequest,
  type LoginResponse,
  type PrincipalView,
  type RefreshRequest,
  type SessionUser,
} from '@cityops/contracts';
import { ValidationError } from '@cityops/core';
import { AuthService, type ClientInfo, type Principal } from '@cityops/identity';
import { Endpoint } from '../http/endpoint.decorator';
import { CurrentPrincipal } from './principal.decorator';

/** Browsers keep the refresh token where scripts cannot read it; only the auth routes receive it. */
const REFRESH_COOKIE = 'cityops_refresh';
const REFRESH_COOKIE_PATH = '/api/auth';

function clientOf(req: Request): ClientInfo {
  return { address: req.ip ?? 'unknown', userAgent: req.headers['user-agent'] ?? null };
}

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(value.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function setRefreshCookie(req: Request, res: Response, session: LoginResponse): LoginResponse {
  res.cookie(REFRESH_COOKIE, session.refreshToken, {
    httpOnly: true,
    secure: req.secure,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
    expires: new Date(session.refreshExpiresAt),
  });
  return session;
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Endpoint({
    summary: 'Sign in with a user name and password',
    description:
      'Opens a session: a short-lived access token and a refresh token (also set as an HttpOnly cookie). Ten failed attempts ' +
      'for one account from one address lock it there for 15 minutes. Attempts are also limited per address and per account ' +
      '(`RATE_LIMIT_SIGN_IN_PER_ADDRESS`, `RATE_LIMIT_SIGN_IN_PER_USER` a minute); a 429 says when to come back (`Retry-After`).',
    access: 'public',
    ok: loginResponseSchema,
    errors: [400, 401, 413, 429],
  })
  async login(
    @Body({ schema: loginSchema }) { username, password }: LoginRequest,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponse> {
    return setRefreshCookie(req, res, await this.auth.login(username, password, clientOf(req)));
  }

  /** A wall screen trades its display token for a session that renews itself. */
  @Post('kiosk')
  @Endpoint({
    summary: 'Open a display device’s session with its token',
    description: 'What a wall screen does on start, from its `/wall?kiosk=<token>` link. The session renews itself with its refresh token.',
    access: 'public',
    ok: loginResponseSchema,
    errors: [400, 401, 413, 429],
  })
  async kioskLogin(
    @Body({ schema: kioskLoginSchema }) { token }: KioskLoginRequest,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponse> {
    return setRefreshCookie(req, res, await this.auth.kioskLogin(token, clientOf(req)));
  }

  @Post('refresh')
  @Endpoint({
    summary: 'Trade the refresh token for a new access token and refresh token',
    description:
      'The refresh token comes in the body or, from a browser, in its cookie. Each is good once: presenting one that was ' +
      'already traded ends the whole session (it was copied). Limited per address like sign-in.',
    access: 'public',
    ok: loginResponseSchema,
    errors: [400, 401, 413, 429],
  })
  async refresh(
    @Body({ schema: refreshSchema }) body: RefreshRequest,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponse> {
    const token = body.refreshToken ?? cookieValue(req, REFRESH_COOKIE);
    if (!token) {
      throw new ValidationError(
        [{ path: 'refreshToken', message: 'required (or the cityops_refresh cookie)' }],
        'No refresh token was sent.',
      );
    }
    return setRefreshCookie(req, res, await this.auth.refresh(token, clientOf(req)));
  }

  @Post('logout')
  @Endpoint({
    summary: 'End this session',
    description: 'Its access token and refresh token stop working on every API process within `SESSION_CHECK_SECONDS`.',
    access: { users: 'any', displays: true, scoped: false, beforePasswordChange: true },
    ok: signedOutSchema,
  })
  async logout(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<{ ok: true }> {
    await this.auth.logout(principal);
    res.clearCookie(REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH });
    return { ok: true };
  }

  @Post('password')
  @Endpoint({
    summary: 'Change your own password',
    description: 'Needed after an admin set it. Your other sessions end.',
    access: { users: 'any', scoped: false, beforePasswordChange: true },
    ok: sessionUserSchema,
    errors: [400],
  })
  changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body({ schema: changePasswordSchema }) body: ChangePasswordRequest,
  ): Promise<SessionUser> {
    return this.auth.changePassword(principal, body.currentPassword, body.newPassword);
  }

  @Get('me')
  @Endpoint({
    summary: 'Who the token belongs to',
    access: { users: 'any', displays: true, scoped: false, beforePasswordChange: true },
    ok: principalViewSchema,
  })
  getCurrentPrincipal(@CurrentPrincipal() principal: Principal): PrincipalView {
    return this.auth.sessionUser(principal);
  }
}
