import { DomainException } from '@cityops/core';

export class IndicatorNotFoundError extends DomainException<'indicator_not_found'> {
  constructor(key: string) {
    super('indicator_not_found', 404, 'Unknown indicator', `There is no indicator "${key}".`);
  }
}

export class IndicatorExistsError extends DomainException<'indicator_exists'> {
  constructor(key: string) {
    super('indicator_exists', 409, 'Conflict', `Indicator ${key} exists already; PUT /api/indicators/${key} replaces it.`);
  }
}

export class IndicatorInUseError extends DomainException<'indicator_in_use'> {
  constructor(key: string, readers: string[]) {
    super(
      'indicator_in_use',
      409,
      'Conflict',
      `Indicator ${key} is read by ${readers.join(', ')}: change or delete ${readers.length === 1 ? 'that composite' : 'those composites'} first.`,
    );
  }
}
