import { Body, Controller, Get, Ip, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  kioskLoginSchema,
  loginResponseSchema,
  loginSchema,
  principalViewSchema,
  type KioskLoginRequest,
  type LoginRequest,
  type LoginResponse,
  type PrincipalView,
} from '@cityops/contracts';
import { AuthService, type Principal } from '@cityops/identity';
import { Endpoint } from '../http/endpoint.decorator';
import { CurrentPrincipal } from './principal.decorator';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Endpoint({
    summary: 'Sign in with a user name and password',
    description:
      'Ten failed attempts for one account from one address lock it there for 15 minutes. Attempts are also limited per ' +
      'address and per account (`RATE_LIMIT_SIGN_IN_PER_ADDRESS`, `RATE_LIMIT_SIGN_IN_PER_USER` a minute); a 429 says when to come back (`Retry-After`).',
    access: 'public',
    ok: loginResponseSchema,
    errors: [400, 401, 413, 429],
  })
  login(@Body({ schema: loginSchema }) { username, password }: LoginRequest, @Ip() ip: string): Promise<LoginResponse> {
    return this.auth.login(username, password, ip);
  }

  /** A wall screen trades its kiosk token for a short-lived read-only access token. */
  @Post('kiosk')
  @Endpoint({
    summary: 'Trade a kiosk token for a short-lived read-only access token',
    description: 'What a wall screen does on start, from its `?kiosk=` link.',
    access: 'public',
    ok: loginResponseSchema,
    errors: [400, 401, 413, 429],
  })
  kioskLogin(@Body({ schema: kioskLoginSchema }) { token }: KioskLoginRequest, @Ip() ip: string): Promise<LoginResponse> {
    return this.auth.kioskLogin(token, ip);
  }

  @Get('me')
  @Endpoint({ summary: 'Who the token belongs to', access: 'signed-in', ok: principalViewSchema })
  getCurrentPrincipal(@CurrentPrincipal() principal: Principal): PrincipalView {
    return { id: principal.subject, username: principal.username, kind: principal.kind, roles: principal.roles };
  }
}
