import { DomainException } from '@cityops/core';

/** No case has this token (or the photo asked for is not one the token's holder may see): the same 404 either way. */
export class PublicCaseNotFoundError extends DomainException<'case_not_found'> {
  constructor(what: 'case' | 'photo' = 'case') {
    super('case_not_found', 404, 'Not found', what === 'photo' ? 'No such photo on this case.' : 'No case has this link.');
  }
}

/** The QR code names no grid of the city (an old poster, or a mistyped address). */
export class PublicGridNotFoundError extends DomainException<'grid_not_found'> {
  constructor(code: string) {
    super('grid_not_found', 404, 'Not found', `No grid has the code ${code}.`);
  }
}
