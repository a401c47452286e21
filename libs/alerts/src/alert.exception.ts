import { DomainException } from '@cityops/core';

export class AlertNotFoundError extends DomainException<'alert_not_found'> {
  constructor(id: string) {
    super('alert_not_found', 404, 'Not found', `Alert ${id} was not found.`);
  }
}

export class SilenceNotFoundError extends DomainException<'silence_not_found'> {
  constructor(id: string) {
    super('silence_not_found', 404, 'Not found', `Silence ${id} was not found.`);
  }
}
