import { DomainException } from '@cityops/core';

export class IndicatorNotFoundError extends DomainException<'indicator_not_found'> {
  constructor(key: string) {
    super('indicator_not_found', 404, 'Unknown indicator', `There is no indicator "${key}".`);
  }
}
