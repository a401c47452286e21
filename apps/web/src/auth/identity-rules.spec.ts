import { describe, expect, it } from '@jest/globals';
import * as contracts from '@cityops/contracts';
import { MIN_PASSWORD_LENGTH, ROLES } from './identity-rules';

describe("the web app's copies of the identity rules", () => {
  it('are the contracts’ own', () => {
    expect(ROLES).toEqual(contracts.ROLES);
    expect(MIN_PASSWORD_LENGTH).toBe(contracts.MIN_PASSWORD_LENGTH);
  });
});
