import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { kioskLoginSchema, loginSchema, type LoginResponse } from '@cityops/contracts';
import { parseOrThrow } from '@cityops/core';
import { AuthService, type Principal } from '@cityops/identity';
import { CurrentPrincipal } from './principal.decorator';
import { Public } from './public.decorator';

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() body: unknown, @Ip() ip: string): Promise<LoginResponse> {
    const { username, password } = parseOrThrow(loginSchema, body);
    return this.auth.login(username, password, ip);
  }

  /** A wall screen trades its kiosk token for a short-lived read-only access token. */
  @Public()
  @Post('kiosk')
  @HttpCode(200)
  kiosk(@Body() body: unknown): Promise<LoginResponse> {
    return this.auth.kioskLogin(parseOrThrow(kioskLoginSchema, body).token);
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return { id: principal.subject, username: principal.username, kind: principal.kind, roles: principal.roles };
  }
}
