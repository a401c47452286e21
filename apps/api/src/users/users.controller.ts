import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  createUserSchema,
  listUsersQuerySchema,
  resetPasswordSchema,
  updateUserSchema,
  userIdParamsSchema,
  userViewSchema,
  type CreateUserRequest,
  type ListUsersQuery,
  type ResetPasswordRequest,
  type UpdateUserRequest,
  type UserIdParams,
  type UserView,
} from '@cityops/contracts';
import { type Principal, UsersService } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';

const ADMINS = { users: ['admin'], scoped: false } as const;

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Endpoint({ summary: 'People who sign in, filtered', access: ADMINS, ok: z.array(userViewSchema), errors: [400] })
  list(@Query({ schema: listUsersQuerySchema }) query: ListUsersQuery): Promise<UserView[]> {
    return this.users.list(query);
  }

  @Get(':id')
  @Endpoint({ summary: 'A person who signs in', access: ADMINS, ok: userViewSchema, errors: [400, 404] })
  get(@Param({ schema: userIdParamsSchema }) { id }: UserIdParams): Promise<UserView> {
    return this.users.get(id);
  }

  @Post()
  @Endpoint({
    summary: 'Add a person',
    description:
      'With roles, area scopes and optionally a department. The first password is temporary: it must be changed at the first sign-in.',
    access: ADMINS,
    ok: userViewSchema,
    status: 201,
    errors: [400, 409, 413],
  })
  create(@Body({ schema: createUserSchema }) body: CreateUserRequest): Promise<UserView> {
    return this.users.create(body);
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Change roles, scopes, department or name; disable or enable',
    description: 'Takes effect on every session of the user within `SESSION_CHECK_SECONDS`; disabling ends them.',
    access: ADMINS,
    ok: userViewSchema,
    errors: [400, 404, 409, 413],
  })
  async update(
    @Param({ schema: userIdParamsSchema }) { id }: UserIdParams,
    @Body({ schema: updateUserSchema }) body: UpdateUserRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UserView> {
    return (await this.users.update(id, body, principal)).after;
  }

  @Post(':id/password')
  @Endpoint({
    summary: 'Set a temporary password',
    description: 'Every session of the user ends; at the next sign-in they must choose a new password.',
    access: ADMINS,
    ok: userViewSchema,
    errors: [400, 404, 413],
  })
  resetPassword(
    @Param({ schema: userIdParamsSchema }) { id }: UserIdParams,
    @Body({ schema: resetPasswordSchema }) body: ResetPasswordRequest,
  ): Promise<UserView> {
    return this.users.resetPassword(id, body.password);
  }
}
