import { DomainException } from '@cityops/core';

/** GeoReport v2: a request is filed only with an api_key. */
export class Open311KeyMissingError extends DomainException<'open311_key_missing'> {
  constructor() {
    super('open311_key_missing', 400, 'Bad request', 'api_key is required to file a request (ask the city for one).');
  }
}

/** Unknown and revoked keys are told apart to nobody. */
export class Open311KeyInvalidError extends DomainException<'open311_key_invalid'> {
  constructor() {
    super('open311_key_invalid', 403, 'Forbidden', 'Invalid api_key: unknown or revoked.');
  }
}

export class Open311ServiceNotFoundError extends DomainException<'open311_service_not_found'> {
  constructor(code: string) {
    super('open311_service_not_found', 404, 'Not found', `There is no service ${code.slice(0, 50)} (GET services lists them).`);
  }
}

export class Open311RequestNotFoundError extends DomainException<'open311_request_not_found'> {
  constructor(what: string) {
    super('open311_request_not_found', 404, 'Not found', `${what} was not found.`);
  }
}

export class Open311KeyNotFoundError extends DomainException<'open311_key_not_found'> {
  constructor() {
    super('open311_key_not_found', 404, 'Not found', 'There is no such Open311 key.');
  }
}

export class Open311KeyNameTakenError extends DomainException<'open311_key_name_taken'> {
  constructor(name: string) {
    super(
      'open311_key_name_taken',
      409,
      'Conflict',
      `An active Open311 key is named "${name}" already: revoke it first, or pick another name.`,
    );
  }
}
